using HotDash.Api.Providers;
using HotDash.Api.Tracing;
using HotDash.Grains;

namespace HotDash.Api.Tests.Tracing;

public sealed class TraceEventBuilderTests
{
    private static readonly TokenCounter Tokens = new();

    private static TraceCapture Capture(string body, EndpointKind kind = EndpointKind.ChatCompletions, bool success = true)
    {
        var now = DateTimeOffset.UtcNow;
        return new TraceCapture(TimeProvider.System, kind)
        {
            CallId = "call-1",
            RequestBody = Encoding.UTF8.GetBytes(body),
            ModelGroup = "g",
            StartTime = now,
            EndTime = now.AddMilliseconds(5),
            Success = success,
            StatusCode = success ? 200 : 500,
            ErrorMessage = success ? null : "boom",
            Usage = new TokenUsage(4, 6, CachedPromptTokens: 1, ReasoningTokens: 2),
        };
    }

    [Fact]
    public void Build_StreamWithToolCallsAndReasoning_AssemblesTheMessageAsTheClientWould()
    {
        var c = Capture("""{"model":"g","stream":true,"messages":[{"role":"user","content":"weather?"}],"tools":[{"type":"function","function":{"name":"get_weather"}}]}""");
        c.AddChunk("""{"choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"think"}}]}"""u8);
        c.AddChunk("""{"choices":[{"index":0,"delta":{"reasoning_content":"ing","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_","arguments":""}}]}}]}"""u8);
        c.AddChunk("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"weather","arguments":"{\"city\":"}}]}}]}"""u8);
        c.AddChunk("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]}"""u8);
        c.AddChunk("""{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"""u8);

        var (trace, generation) = new TraceEventBuilder("p", false, Tokens).Build(c);

        using var output = JsonDocument.Parse(generation.Observation!.Output!);
        var root = output.RootElement;
        Assert.Equal("assistant", root.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("content").ValueKind);
        Assert.Equal("thinking", root.GetProperty("reasoning_content").GetString());
        var call = Assert.Single(root.GetProperty("tool_calls").EnumerateArray().ToArray());
        Assert.Equal("call_a", call.GetProperty("id").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("function").GetProperty("arguments").GetString());

        using var input = JsonDocument.Parse(generation.Observation.Input!);
        Assert.Equal("get_weather", input.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.DoesNotContain("tools", generation.Observation.ModelParameters);
        Assert.Equal("p", trace.Trace!.ProjectId);
        Assert.Equal(1, generation.Observation.UsageDetails![UsageKeys.InputCached]);
        Assert.Equal(2, generation.Observation.UsageDetails[UsageKeys.OutputReasoning]);
    }

    [Fact]
    public void Build_StreamedTextCompletion_OutputIsTheJoinedText()
    {
        var c = Capture("""{"model":"g","prompt":"say","stream":true}""", EndpointKind.Completions);
        c.AddChunk("""{"choices":[{"text":"Hel","index":0}]}"""u8);
        c.AddChunk("""{"choices":[{"text":"lo \u00e9","index":0}]}"""u8);

        var (trace, generation) = new TraceEventBuilder("p", false, Tokens).Build(c);

        Assert.Equal("\"Hello é\"", generation.Observation!.Output);
        Assert.Equal("""{"messages":"say"}""", generation.Observation.Input);
        Assert.Equal("litellm-atext_completion", trace.Trace!.Name);
    }

    [Fact]
    public void Build_ConfiguredEnvironment_IsOnTheTraceAndTheGeneration()
    {
        var c = Capture("""{"model":"g","messages":[{"role":"user","content":"x"}]}""");
        c.SetResponse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"done"}}]}"""u8);

        var (trace, generation) = new TraceEventBuilder("p", false, Tokens, "staging").Build(c);

        Assert.Equal("staging", trace.Trace!.Environment);
        Assert.Equal("staging", generation.Observation!.Environment);
    }

    [Fact]
    public void Build_ExistingTraceWithUpdateTraceKeys_UpdatesOnlyThoseKeys()
    {
        var c = Capture("""{"model":"g","messages":[{"role":"user","content":"x"}],"metadata":{"existing_trace_id":"t-1","update_trace_keys":["output","trace_user_id"],"trace_user_id":"u-9","trace_name":"ignored"}}""");
        c.SetResponse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"done"}}]}"""u8);

        var (trace, generation) = new TraceEventBuilder("p", false, Tokens).Build(c);

        var t = trace.Trace!;
        Assert.Equal("t-1", t.Id);
        Assert.Equal("u-9", t.UserId);
        Assert.Equal("""{"role":"assistant","content":"done"}""", t.Output);
        Assert.Null(t.Name);
        Assert.Null(t.Input);
        Assert.Null(t.TimestampMs);
        Assert.Equal("t-1", generation.Observation!.TraceId);
    }

    [Fact]
    public void Build_MaskOutputAndDebug_RedactsOnlyTheOutputAndAttachesTheMetadataWithoutSecrets()
    {
        var c = Capture("""{"model":"g","messages":[{"role":"user","content":"x"}],"metadata":{"mask_output":true,"debug_langfuse":true,"langfuse_secret":"s3cr3t","k":"v"}}""");
        c.SetResponse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"hidden"}}]}"""u8);

        var (trace, generation) = new TraceEventBuilder("p", false, Tokens).Build(c);

        Assert.Equal(TraceRedaction.RedactedJson, generation.Observation!.Output);
        Assert.Contains("\"x\"", generation.Observation.Input);
        var passed = trace.Trace!.Metadata!["metadata_passed_to_litellm"];
        Assert.Contains("\"k\":\"v\"", passed);
        Assert.DoesNotContain("s3cr3t", passed);
        Assert.DoesNotContain("langfuse_secret", string.Join(",", generation.Observation.Metadata!.Keys));
    }

    [Fact]
    public void Build_Failure_IsErrorWithTheMessageAsOutputAndNoCost()
    {
        var c = Capture("""{"model":"g","messages":[{"role":"user","content":"x"}]}""", success: false);
        c.Usage = default;

        var (trace, generation) = new TraceEventBuilder("p", false, Tokens).Build(c);

        var g = generation.Observation!;
        Assert.Equal("ERROR", g.Level);
        Assert.Equal("boom", g.StatusMessage);
        Assert.Equal("\"boom\"", g.Output);
        Assert.Null(g.UsageDetails);
        Assert.Null(g.CostDetails);
        Assert.Null(g.CompletionStartTimeMs);
        Assert.Null(trace.Trace!.Output);
    }

    [Theory]
    [InlineData("https://user:pw@api.example.com/v1?api-key=abc", "https://api.example.com/v1")]
    [InlineData("http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1")]
    [InlineData("not a url", null)]
    public void SafeApiBase_DropsCredentialsAndQuery(string apiBase, string? expected) =>
        Assert.Equal(expected, TraceRedaction.SafeApiBase(apiBase));
}
