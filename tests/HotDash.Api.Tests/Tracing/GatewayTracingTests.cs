using System.Net.Http.Headers;
using HotDash.Api.Tests.Quotas;
using HotDash.Grains;

namespace HotDash.Api.Tests.Tracing;

/// <summary>End to end: requests through the gateway become the trace events that reach the silo's aggregator.</summary>
public sealed class GatewayTracingTests(TracingGatewayFixture fixture) : IClassFixture<TracingGatewayFixture>
{
    private static readonly JsonSerializerOptions Wire = new() { WriteIndented = false };

    private async Task<(HttpResponseMessage Response, string CallId)> PostAsync(string path, string json, Action<HttpRequestHeaders>? headers = null, string? key = null)
    {
        using var client = fixture.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody.Of(json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? "sk-anything");
        headers?.Invoke(request.Headers);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, Assert.Single(response.Headers.GetValues(GatewayHeaders.CallId)));
    }

    [Fact]
    public async Task ChatCompletion_WithMetadataAndHeaders_ProducesTheLangfuseTraceAndGeneration()
    {
        var traceId = "trace-" + Guid.NewGuid().ToString("n");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (response, callId) = await PostAsync("/v1/chat/completions", $$$"""
            {"model":"trace-chat","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello trace"}],
             "temperature":0.2,"max_tokens":50,"user":"end-user-1",
             "metadata":{"trace_id":"{{{traceId}}}","trace_name":"my-trace","session_id":"sess-1","tags":["a","b"],
                         "generation_name":"my-generation","trace_metadata":{"tenant":"acme","n":3},"trace_release":"r1",
                         "trace_version":"v7","version":"g2","custom_key":"custom value","nested":{"x":1} } }
            """, h => h.TryAddWithoutValidation("langfuse_trace_user_id", "header-user"));
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        Assert.Equal(TraceEventTypes.TraceCreate, traceEvent.Type);
        var trace = traceEvent.Trace!;
        Assert.Equal(traceId, trace.Id);
        Assert.Equal("default", trace.ProjectId);
        Assert.Equal("my-trace", trace.Name);
        Assert.Equal("header-user", trace.UserId); // trace_user_id from its header: the body has none
        Assert.Equal("sess-1", trace.SessionId);
        Assert.Equal(new[] { "a", "b" }, trace.Tags!.Value);
        Assert.Equal("r1", trace.Release);
        Assert.Equal("v7", trace.Version);
        Assert.Equal("default", trace.Environment);
        Assert.Equal("acme", trace.Metadata!["tenant"]);
        Assert.Equal("3", trace.Metadata["n"]);
        Assert.InRange(trace.TimestampMs!.Value, before, after);

        Assert.Equal(TraceEventTypes.GenerationCreate, generationEvent.Type);
        var g = generationEvent.Observation!;
        Assert.Equal(callId, g.Id);
        Assert.Equal(traceId, g.TraceId);
        Assert.Equal("GENERATION", g.Type);
        Assert.Equal("my-generation", g.Name);
        Assert.Equal("DEFAULT", g.Level);
        Assert.Null(g.StatusMessage);
        Assert.Equal("g2", g.Version);
        Assert.Equal("gpt-fake-echo", g.Model);
        Assert.Equal("trace-chat", g.ModelGroup);
        Assert.Equal("trace-chat-id", g.Deployment);
        Assert.Equal("end-user-1", g.EndUser);
        Assert.False(g.CacheHit);
        Assert.InRange(g.StartTimeMs!.Value, before, after);
        Assert.InRange(g.EndTimeMs!.Value, g.StartTimeMs.Value, after);
        Assert.Equal(g.EndTimeMs, g.CompletionStartTimeMs); // not streamed: the whole answer came at once

        using (var input = JsonDocument.Parse(g.Input!))
        {
            var messages = input.RootElement.GetProperty("messages");
            Assert.Equal(2, messages.GetArrayLength());
            Assert.Equal("hello trace", messages[1].GetProperty("content").GetString());
        }
        Assert.Equal(g.Input, trace.Input);
        using (var output = JsonDocument.Parse(g.Output!))
        {
            Assert.Equal("assistant", output.RootElement.GetProperty("role").GetString());
            Assert.Equal(FakeUpstream.Reply, output.RootElement.GetProperty("content").GetString());
        }
        Assert.Equal(g.Output, trace.Output);
        using (var parameters = JsonDocument.Parse(g.ModelParameters!))
        {
            Assert.Equal(0.2, parameters.RootElement.GetProperty("temperature").GetDouble());
            Assert.Equal(50, parameters.RootElement.GetProperty("max_tokens").GetInt32());
            Assert.False(parameters.RootElement.TryGetProperty("user", out _));
            Assert.False(parameters.RootElement.TryGetProperty("metadata", out _));
        }

        var completion = FakeUpstream.StreamPieces.Length;
        Assert.Equal(FakeUpstream.PromptTokens, g.UsageDetails![UsageKeys.Input]);
        Assert.Equal(completion, g.UsageDetails[UsageKeys.Output]);
        Assert.Equal(FakeUpstream.PromptTokens + completion, g.UsageDetails[UsageKeys.Total]);
        var cost = FakeUpstream.PromptTokens * TracingGatewayFixture.InputPrice + completion * TracingGatewayFixture.OutputPrice;
        Assert.Equal(cost, g.TotalCost);
        Assert.Equal(decimal.Parse(Assert.Single(response.Headers.GetValues(GatewayHeaders.ResponseCost)), System.Globalization.CultureInfo.InvariantCulture), g.TotalCost);
        Assert.Equal(FakeUpstream.PromptTokens * TracingGatewayFixture.InputPrice, g.CostDetails![UsageKeys.Input]);
        Assert.Equal(completion * TracingGatewayFixture.OutputPrice, g.CostDetails[UsageKeys.Output]);
        Assert.Equal(cost, g.CostDetails[UsageKeys.Total]);

        var metadata = g.Metadata!;
        Assert.Equal("custom value", metadata["custom_key"]);
        Assert.Equal("""{"x":1}""", metadata["nested"]);
        Assert.Equal(callId, metadata["litellm_call_id"]);
        Assert.Equal("trace-chat", metadata["model_group"]);
        Assert.Equal("trace-chat-id", metadata["model_id"]);
        Assert.Equal("openai/gpt-fake-echo", metadata["deployment"]);
        Assert.Equal(fixture.Fake.ApiBase, metadata["api_base"]);
        foreach (var traceKey in (string[])["trace_id", "trace_name", "session_id", "tags", "generation_name", "trace_metadata", "trace_release", "trace_version", "version", "trace_user_id"])
        {
            Assert.False(metadata.ContainsKey(traceKey), traceKey);
        }
    }

    [Fact]
    public async Task ChatCompletion_WithoutTraceKeys_UsesTheCallIdAndLiteLlmsDefaultNames()
    {
        var (response, callId) = await PostAsync("/v1/chat/completions",
            """{"model":"trace-chat","messages":[{"role":"user","content":"plain"}],"user":"someone"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        Assert.Equal(callId, traceEvent.Trace!.Id);
        Assert.Equal("litellm-acompletion", traceEvent.Trace.Name);
        Assert.Equal("someone", traceEvent.Trace.UserId);
        Assert.Equal(callId, generationEvent.Observation!.TraceId);
        Assert.Equal("litellm-acompletion", generationEvent.Observation.Name);
        Assert.Equal("default", generationEvent.Observation.Environment);
        Assert.Null(generationEvent.Observation.ModelParameters);
    }

    [Fact]
    public async Task ChatCompletion_ExistingTraceId_SendsOnlyTheTraceIdSoTheTraceIsNotOverwritten()
    {
        var existing = "existing-" + Guid.NewGuid().ToString("n");
        var (_, callId) = await PostAsync("/v1/chat/completions", $$$"""
            {"model":"trace-chat","messages":[{"role":"user","content":"again"}],
             "metadata":{"existing_trace_id":"{{{existing}}}","trace_name":"must-not-overwrite","session_id":"s","parent_observation_id":"span-1"}}
            """);

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        Assert.Equal(new TraceRecord(existing) { ProjectId = "default" }, traceEvent.Trace);
        Assert.Equal(existing, generationEvent.Observation!.TraceId);
        Assert.Equal("span-1", generationEvent.Observation.ParentObservationId);
    }

    [Fact]
    public async Task TraceIdHeader_WithoutMetadata_NamesTheTrace()
    {
        var traceId = "hdr-" + Guid.NewGuid().ToString("n");
        var (_, callId) = await PostAsync("/v1/chat/completions", """{"model":"trace-chat","messages":[{"role":"user","content":"hi"}]}""",
            h =>
            {
                h.TryAddWithoutValidation("langfuse_trace_id", traceId);
                h.TryAddWithoutValidation("langfuse_tags", "x, y");
                h.TryAddWithoutValidation("langfuse_session_id", "hdr-session");
            });

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        Assert.Equal(traceId, traceEvent.Trace!.Id);
        Assert.Equal(new[] { "x", "y" }, traceEvent.Trace.Tags!.Value);
        Assert.Equal("hdr-session", traceEvent.Trace.SessionId);
        Assert.Equal(traceId, generationEvent.Observation!.TraceId);
    }

    [Fact]
    public async Task StreamedChat_RecordsTheFirstChunkTimeAndTheAssembledMessage()
    {
        var (response, callId) = await PostAsync("/v1/chat/completions",
            """{"model":"trace-chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"stream please"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        var g = generationEvent.Observation!;
        Assert.NotNull(g.CompletionStartTimeMs);
        Assert.InRange(g.CompletionStartTimeMs!.Value, g.StartTimeMs!.Value, g.EndTimeMs!.Value);
        using var output = JsonDocument.Parse(g.Output!);
        Assert.Equal("assistant", output.RootElement.GetProperty("role").GetString());
        Assert.Equal(string.Concat(FakeUpstream.StreamPieces), output.RootElement.GetProperty("content").GetString());
        Assert.Equal(FakeUpstream.PromptTokens, g.UsageDetails![UsageKeys.Input]);
        Assert.Equal(FakeUpstream.StreamPieces.Length, g.UsageDetails[UsageKeys.Output]);
        Assert.Equal("DEFAULT", g.Level);
        Assert.Equal(g.Output, traceEvent.Trace!.Output);
        using var parameters = JsonDocument.Parse(g.ModelParameters!);
        Assert.True(parameters.RootElement.GetProperty("stream").GetBoolean());
        Assert.Equal("""{"include_usage":true}""", parameters.RootElement.GetProperty("stream_options").GetString());
    }

    [Fact]
    public async Task StreamedMockChatWithoutUsage_MeasuresTheTokens()
    {
        var (response, callId) = await PostAsync("/v1/chat/completions",
            """{"model":"trace-mock","stream":true,"messages":[{"role":"user","content":"count me"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var (_, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        var g = generationEvent.Observation!;
        Assert.NotNull(g.CompletionStartTimeMs);
        using var output = JsonDocument.Parse(g.Output!);
        Assert.StartsWith("This is a mock response from trace-mock.", output.RootElement.GetProperty("content").GetString());
        Assert.True(g.UsageDetails![UsageKeys.Input] > 0);
        Assert.True(g.UsageDetails[UsageKeys.Output] > 0);
    }

    [Fact]
    public async Task UpstreamRefusal_IsAnErrorGenerationWithTheMessage()
    {
        var (response, callId) = await PostAsync("/v1/chat/completions", """{"model":"trace-400","messages":[{"role":"user","content":"fail"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        var g = generationEvent.Observation!;
        Assert.Equal("ERROR", g.Level);
        Assert.Contains("fake upstream error 400", g.StatusMessage);
        Assert.Equal(g.StatusMessage, JsonSerializer.Deserialize<string>(g.Output!));
        Assert.Equal("trace-400-id", g.Deployment);
        Assert.Null(g.TotalCost);
        Assert.Null(traceEvent.Trace!.Output);
        Assert.NotNull(traceEvent.Trace.Input);
    }

    [Fact]
    public async Task Embedding_HasItsInputAndNoOutput()
    {
        var (response, callId) = await PostAsync("/v1/embeddings", """{"model":"trace-embedding","input":["one","two"]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        Assert.Equal("litellm-aembedding", traceEvent.Trace!.Name);
        Assert.Equal("""{"messages":["one","two"]}""", generationEvent.Observation!.Input);
        Assert.Null(generationEvent.Observation.Output);
    }

    [Fact]
    public async Task NoLog_RedactsInputAndOutputAndKeepsTheRest()
    {
        var (response, callId) = await PostAsync("/v1/chat/completions",
            """{"model":"trace-chat","no-log":true,"messages":[{"role":"user","content":"private words"}],"metadata":{"custom_key":"kept"}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("no-log", Encoding.UTF8.GetString(fixture.Fake.LastFor("gpt-fake-echo")!.Body)); // LiteLLM's field, not the upstream's

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        var g = generationEvent.Observation!;
        Assert.Equal("\"redacted-by-litellm\"", g.Input);
        Assert.Equal("\"redacted-by-litellm\"", g.Output);
        Assert.Equal("\"redacted-by-litellm\"", traceEvent.Trace!.Input);
        Assert.Equal("kept", g.Metadata!["custom_key"]);
        Assert.Equal(FakeUpstream.PromptTokens, g.UsageDetails![UsageKeys.Input]);
        Assert.DoesNotContain("private words", JsonSerializer.Serialize(new[] { traceEvent, generationEvent }, Wire));
    }

    [Fact]
    public async Task VirtualKey_TraceCarriesItsAliasAndTeamButNeverTheKeyOrItsHash()
    {
        var registry = new TestRegistry(fixture);
        var team = await registry.CreateTeamAsync();
        var alias = "alias-" + Guid.NewGuid().ToString("n")[..8];
        var key = await registry.CreateKeyAsync(k => k with { KeyAlias = alias, TeamId = team });

        var (response, callId) = await PostAsync("/v1/chat/completions",
            """{"model":"trace-chat","messages":[{"role":"user","content":"keyed"}],"api_key":"sk-client-side-secret","metadata":{"api_key":"sk-meta-secret","langfuse_secret_key":"sk-lf-secret"}}""",
            h => h.TryAddWithoutValidation("langfuse_secret_key", "sk-lf-header-secret"), key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var (traceEvent, generationEvent) = await fixture.Sink.ForCallAsync(callId);
        var g = generationEvent.Observation!;
        Assert.Equal(alias, g.KeyAlias);
        Assert.Equal(team, g.TeamId);
        Assert.Equal($"litellm:{alias}", g.Name); // LiteLLM names a keyed call's generation after the key's alias
        Assert.Equal(alias, g.Metadata!["user_api_key_alias"]);
        Assert.Equal(team, g.Metadata["user_api_key_team_id"]);

        var wire = JsonSerializer.Serialize(new[] { traceEvent, generationEvent }, Wire);
        foreach (var secret in (string[])[key, TestRegistry.Hash(key), TracingGatewayFixture.UpstreamKey, "sk-client-side-secret", "sk-meta-secret", "sk-lf-secret", "sk-lf-header-secret", "Bearer"])
        {
            Assert.DoesNotContain(secret, wire, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("authorization", wire, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Readiness_CountsTheTraceEventsShipped()
    {
        var (_, callId) = await PostAsync("/v1/chat/completions", """{"model":"trace-chat","messages":[{"role":"user","content":"count"}]}""");
        await fixture.Sink.ForCallAsync(callId);

        using var client = fixture.CreateAnonymousClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/health/readiness"));
        var queue = doc.RootElement.GetProperty("trace_queue");
        Assert.True(queue.GetProperty("shipped").GetInt64() >= 2);
        Assert.Equal(0, queue.GetProperty("dropped").GetInt64());
        Assert.True(queue.TryGetProperty("queued", out _));
        Assert.True(queue.TryGetProperty("retries", out _));
    }
}
