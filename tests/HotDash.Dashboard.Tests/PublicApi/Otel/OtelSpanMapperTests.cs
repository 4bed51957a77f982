using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Dashboard.PublicApi.Otel;
using HotDash.Grains;
using static HotDash.Dashboard.Tests.PublicApi.Otel.OtlpFixtures;

namespace HotDash.Dashboard.Tests.PublicApi.Otel;

public sealed class OtelSpanMapperTests
{
    private const string Project = "proj";
    private const long Now = 1_800_000_000_000;

    private static ImmutableArray<TraceEvent> Map(string json) => OtelSpanMapper.Map(OtlpTraceParser.ParseJson(Utf8(json)), Project, Now);

    private static ObservationRecord Observation(string attributes, string scope = "my-instrumentation", string resource = "", string extra = "") =>
        Map(SingleSpan(attributes, scope, resource, parentSpanId: RootSpanId, extra: extra)).Single(e => e.Observation is not null).Observation!;

    [Fact]
    public void LangfuseSdkExport_RootSpanBecomesTraceAndSpan()
    {
        var events = Map(LangfuseSdkExport);

        Assert.Equal([TraceEventTypes.TraceCreate, TraceEventTypes.SpanCreate, TraceEventTypes.GenerationCreate], events.Select(e => e.Type));
        var trace = events[0].Trace!;
        Assert.Equal(TraceId, trace.Id);
        Assert.Equal(Project, trace.ProjectId);
        Assert.Equal("chat", trace.Name);
        Assert.Equal("user-7", trace.UserId);
        Assert.Equal("sess-3", trace.SessionId);
        Assert.Equal(["prod", "beta"], trace.Tags!.Value.ToArray());
        Assert.Equal("production", trace.Environment);
        Assert.Equal("1.4.0", trace.Version);
        Assert.Equal(StartMs, trace.TimestampMs);
        Assert.Equal("""{"question":"hi"}""", trace.Input);
        Assert.Equal("\"hello\"", trace.Output);
        Assert.Equal("acme", trace.Metadata!["tenant"]);
        Assert.Equal("chat-app", JsonDocument.Parse(trace.Metadata["resourceAttributes"]).RootElement.GetProperty("service.name").GetString());
        Assert.Equal("langfuse-sdk", JsonDocument.Parse(trace.Metadata["scope"]).RootElement.GetProperty("name").GetString());
        // The Langfuse SDK's own spans do not repeat their attributes in metadata.
        Assert.False(trace.Metadata.ContainsKey("attributes"));
    }

    [Fact]
    public void LangfuseSdkExport_GenerationFields()
    {
        var generation = Map(LangfuseSdkExport)[2].Observation!;

        Assert.Equal(ChildSpanId, generation.Id);
        Assert.Equal(TraceId, generation.TraceId);
        Assert.Equal(RootSpanId, generation.ParentObservationId);
        Assert.Equal("GENERATION", generation.Type);
        Assert.Equal("llm-call", generation.Name);
        Assert.Equal(StartMs + 500, generation.StartTimeMs);
        Assert.Equal(StartMs + 2500, generation.EndTimeMs);
        Assert.Equal(StartMs + 800, generation.CompletionStartTimeMs);
        Assert.Equal("gpt-4o", generation.Model);
        Assert.Equal("""{"temperature":0.2,"stop":"[\"x\"]"}""", generation.ModelParameters);
        Assert.Equal(new Dictionary<string, long> { ["input"] = 100, ["output"] = 20, ["total"] = 120 }, new Dictionary<string, long>(generation.UsageDetails!));
        Assert.Equal(0.003m, generation.TotalCost);
        Assert.Equal(0.001m, generation.CostDetails!["input"]);
        Assert.Equal("support", generation.PromptName);
        Assert.Equal(4, generation.PromptVersion);
        Assert.Equal("answer", generation.Metadata!["step"]);
        Assert.Equal("2", generation.Metadata["attempt"]);
        Assert.Equal("""[{"role":"user","content":"hi"}]""", generation.Input);
        Assert.Equal("""{"role":"assistant","content":"hello"}""", generation.Output);
        Assert.Equal("production", generation.Environment);
        Assert.Equal("DEFAULT", generation.Level);
        Assert.Equal("1.4.0", generation.Version);
        Assert.Equal(Project, generation.ProjectId);
    }

    [Fact]
    public void Map_EnvelopeTimestamps_TraceAtStartObservationAtEnd()
    {
        var events = Map(LangfuseSdkExport);

        Assert.Equal(StartMs, events[0].TimestampMs);
        Assert.Equal(StartMs + 3000, events[1].TimestampMs);
        Assert.Equal(StartMs + 2500, events[2].TimestampMs);
    }

    [Fact]
    public void Map_SameExportTwice_SameEventIds()
    {
        var first = Map(LangfuseSdkExport).Select(e => e.EventId).ToList();
        var second = Map(LangfuseSdkExport).Select(e => e.EventId).ToList();

        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct().Count());
        Assert.All(first, id => Assert.True(Guid.TryParse(id, out _)));
    }

    [Fact]
    public void Map_ChildSpanAlone_GetsShallowTraceCreate()
    {
        var events = Map(SingleSpan(Str("gen_ai.request.model", "m"), parentSpanId: RootSpanId, resourceAttributes: Str("deployment.environment", "Staging")));

        Assert.Equal(2, events.Length);
        var trace = events[0].Trace!;
        Assert.Equal(TraceId, trace.Id);
        Assert.Equal(StartMs, trace.TimestampMs);
        Assert.Equal("staging", trace.Environment);
        Assert.Null(trace.Name);
        Assert.Null(trace.Metadata);
    }

    [Fact]
    public void Map_ShallowTrace_DroppedWhenRootInSameExport()
    {
        var json = LangfuseSdkExport.Replace("\"spans\":[", "\"spans\":[" + SpanJson("aaaaaaaaaaaaaaaa", RootSpanId) + ",", StringComparison.Ordinal);

        var traces = Map(json).Where(e => e.Trace is not null).ToList();

        Assert.Single(traces);
        Assert.Equal("chat", traces[0].Trace!.Name);
    }

    [Fact]
    public void Map_TwoChildSpansOfOneTrace_OneShallowTrace()
    {
        var json = SingleSpan("", parentSpanId: RootSpanId).Replace("\"spans\":[", "\"spans\":[" + SpanJson("aaaaaaaaaaaaaaaa", RootSpanId) + ",", StringComparison.Ordinal);

        var events = Map(json);

        Assert.Single(events, e => e.Trace is not null);
        Assert.Equal(2, events.Count(e => e.Observation is not null));
    }

    [Fact]
    public void Map_ChildWithTraceAttributes_GetsTraceUpdate()
    {
        var events = Map(SingleSpan($"{Str("langfuse.trace.name", "renamed")},{Str("langfuse.user.id", "u9")},{Str("langfuse.session.id", "s9")}", parentSpanId: RootSpanId));

        var trace = events.Single(e => e.Trace is not null).Trace!;
        Assert.Equal("renamed", trace.Name);
        Assert.Equal("u9", trace.UserId);
        Assert.Equal("s9", trace.SessionId);
        Assert.NotNull(trace.Metadata);
    }

    [Fact]
    public void Map_AsRootAttribute_MakesChildTheRoot()
    {
        var trace = Map(SingleSpan(Str("langfuse.internal.as_root", "true"), parentSpanId: RootSpanId, name: "agent-run")).Single(e => e.Trace is not null).Trace!;

        Assert.Equal("agent-run", trace.Name);
    }

    [Fact]
    public void Map_RootSpanWithoutTraceName_UsesSpanName()
    {
        var trace = Map(SingleSpan("", name: "GET /chat")).Single(e => e.Trace is not null).Trace!;

        Assert.Equal("GET /chat", trace.Name);
        Assert.Equal("default", trace.Environment);
    }

    [Theory]
    [InlineData("""{"key":"langfuse.trace.tags","value":{"stringValue":"[\"a\",\"b\"]"}}""", new[] { "a", "b" })]
    [InlineData("""{"key":"langfuse.trace.tags","value":{"stringValue":"a, b"}}""", new[] { "a", "b" })]
    [InlineData("""{"key":"langfuse.trace.tags","value":{"stringValue":"solo"}}""", new[] { "solo" })]
    [InlineData("""{"key":"tag.tags","value":{"arrayValue":{"values":[{"stringValue":"x"}]}}}""", new[] { "x" })]
    public void Map_TraceTags_AllForms(string attribute, string[] tags)
    {
        var trace = Map(SingleSpan(attribute)).Single(e => e.Trace is not null).Trace!;

        Assert.Equal(tags, trace.Tags!.Value.ToArray());
    }

    [Theory]
    [InlineData("user.id")]
    [InlineData("langfuse.user.id")]
    public void Map_UserIdKeys(string key)
    {
        Assert.Equal("u", Map(SingleSpan(Str(key, "u"))).Single(e => e.Trace is not null).Trace!.UserId);
    }

    [Fact]
    public void Map_TracePublicAndRelease()
    {
        var trace = Map(SingleSpan($"{Str("langfuse.trace.public", "true")},{Str("langfuse.release", "r2")}")).Single(e => e.Trace is not null).Trace!;

        Assert.True(trace.Public);
        Assert.Equal("r2", trace.Release);
    }

    [Fact]
    public void Map_EnvironmentFromSpanWinsOverResource()
    {
        var o = Observation(Str("langfuse.environment", "dev"), resource: Str("deployment.environment.name", "prod"));

        Assert.Equal("dev", o.Environment);
    }

    [Fact]
    public void Map_NoModel_IsSpan()
    {
        var e = Map(SingleSpan(Str("http.method", "GET"), parentSpanId: RootSpanId)).Single(e => e.Observation is not null);

        Assert.Equal("SPAN", e.Observation!.Type);
        Assert.Equal(TraceEventTypes.SpanCreate, e.Type);
        Assert.Null(e.Observation.Model);
        Assert.Null(e.Observation.UsageDetails);
        Assert.Null(e.Observation.ModelParameters);
    }

    [Theory]
    [InlineData("langfuse.observation.type", "tool", "TOOL")]
    [InlineData("langfuse.observation.type", "event", "EVENT")]
    [InlineData("langfuse.observation.type", "agent", "AGENT")]
    [InlineData("openinference.span.kind", "LLM", "GENERATION")]
    [InlineData("openinference.span.kind", "RETRIEVER", "RETRIEVER")]
    [InlineData("gen_ai.operation.name", "chat", "GENERATION")]
    [InlineData("gen_ai.operation.name", "embeddings", "EMBEDDING")]
    [InlineData("gen_ai.operation.name", "execute_tool", "TOOL")]
    [InlineData("gen_ai.tool.name", "search", "TOOL")]
    [InlineData("gen_ai.response.model", "gpt-4o-2024", "GENERATION")]
    [InlineData("langfuse.observation.type", "unknown-type", "SPAN")]
    public void Map_ObservationType_FromAttributes(string key, string value, string type)
    {
        var e = Map(SingleSpan(Str(key, value), parentSpanId: RootSpanId)).Single(e => e.Observation is not null);

        Assert.Equal(type, e.Observation!.Type);
        Assert.Equal($"{type.ToLowerInvariant()}-create", e.Type);
    }

    [Fact]
    public void Map_PythonSdkBefore34_SpanWithModelBecomesGeneration()
    {
        var o = Observation($"{Str("langfuse.observation.type", "span")},{Str("langfuse.observation.model.name", "m")}", scope: "langfuse-sdk",
            resource: Str("telemetry.sdk.language", "python"));

        Assert.Equal("GENERATION", o.Type);
    }

    [Fact]
    public void Map_GenAiUsage_InputOutputTokens()
    {
        var o = Observation($"{Str("gen_ai.request.model", "gpt-4o-mini")},{Int("gen_ai.usage.input_tokens", 30)},{Int("gen_ai.usage.output_tokens", 12)}");

        Assert.Equal("gpt-4o-mini", o.Model);
        Assert.Equal(new Dictionary<string, long> { ["input"] = 30, ["output"] = 12, ["total"] = 42 }, new Dictionary<string, long>(o.UsageDetails!));
    }

    [Fact]
    public void Map_GenAiUsage_PromptCompletionTokensWithCacheAndReasoning()
    {
        var o = Observation($"{Str("gen_ai.request.model", "m")},{Int("gen_ai.usage.prompt_tokens", 100)},{Int("gen_ai.usage.completion_tokens", 50)}," +
            $"{Int("gen_ai.usage.cache_read_input_tokens", 40)},{Int("gen_ai.usage.reasoning.output_tokens", 10)},{Int("gen_ai.usage.total_tokens", 150)}");

        Assert.Equal(new Dictionary<string, long>
        {
            ["input"] = 60, ["output"] = 40, ["total"] = 150, ["input_cached_tokens"] = 40, ["output_reasoning_tokens"] = 10,
        }, new Dictionary<string, long>(o.UsageDetails!));
    }

    [Fact]
    public void Map_UsageDetailsAttribute_WinsAndOpenAiShapeNormalised()
    {
        var o = Observation($"{Str("langfuse.observation.usage_details", """{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}""")},{Int("gen_ai.usage.input_tokens", 999)}");

        Assert.Equal(new Dictionary<string, long> { ["input"] = 10, ["output"] = 5, ["total"] = 15 }, new Dictionary<string, long>(o.UsageDetails!));
    }

    [Fact]
    public void Map_UsageDetailsAttributeNotObject_NoUsage()
    {
        Assert.Null(Observation($"{Str("langfuse.observation.usage_details", "[1]")},{Int("gen_ai.usage.input_tokens", 5)}").UsageDetails);
    }

    [Fact]
    public void Map_CostFromGenAiUsageCost()
    {
        var o = Observation($"{Str("gen_ai.request.model", "m")},{Dbl("gen_ai.usage.cost", 0.0042)}");

        Assert.Equal(0.0042m, o.TotalCost);
        Assert.Equal(0.0042m, o.CostDetails!["total"]);
    }

    [Fact]
    public void Map_ModelParametersFromGenAiRequest()
    {
        var o = Observation($"{Str("gen_ai.request.model", "m")},{Dbl("gen_ai.request.temperature", 0.7)},{Int("gen_ai.request.max_tokens", 256)}");

        Assert.Equal("""{"temperature":0.7,"max_tokens":256}""", o.ModelParameters);
    }

    [Fact]
    public void Map_AgentOperation_NoModelNoUsage()
    {
        var o = Observation($"{Str("gen_ai.operation.name", "invoke_agent")},{Str("gen_ai.request.model", "m")},{Int("gen_ai.usage.input_tokens", 5)}");

        Assert.Equal("AGENT", o.Type);
        Assert.Null(o.Model);
        Assert.Null(o.UsageDetails);
    }

    [Fact]
    public void Map_PromptOnlyLinkedToGenerations()
    {
        var o = Observation($"{Str("langfuse.observation.type", "span")},{Str("langfuse.observation.prompt.name", "p")},{Int("langfuse.observation.prompt.version", 1)}");

        Assert.Null(o.PromptName);
        Assert.Null(o.PromptVersion);
    }

    [Fact]
    public void Map_StatusError_LevelErrorAndMessage()
    {
        var o = Observation("", extra: ""","status":{"code":2,"message":"upstream 500"}""");

        Assert.Equal("ERROR", o.Level);
        Assert.Equal("upstream 500", o.StatusMessage);
    }

    [Theory]
    [InlineData("warn", "WARNING")]
    [InlineData("DEBUG", "DEBUG")]
    [InlineData("critical", "ERROR")]
    [InlineData("info", "DEFAULT")]
    public void Map_LevelAttribute_AliasesMapped(string level, string stored)
    {
        Assert.Equal(stored, Observation(Str("langfuse.observation.level", level), extra: ""","status":{"code":2}""").Level);
    }

    [Fact]
    public void Map_StatusMessageAttribute_Wins()
    {
        Assert.Equal("custom", Observation(Str("langfuse.observation.status_message", "custom"), extra: ""","status":{"code":2,"message":"otel"}""").StatusMessage);
    }

    [Fact]
    public void Map_ObservationInputNotJson_StoredAsJsonString()
    {
        var o = Observation($"{Str("langfuse.observation.input", "plain question")},{Str("langfuse.observation.output", "42")}");

        Assert.Equal("\"plain question\"", o.Input);
        Assert.Equal("42", o.Output);
    }

    [Fact]
    public void Map_GenAiPromptKeyPaths_RebuiltAsMessages()
    {
        var o = Observation($"{Str("gen_ai.prompt.0.role", "system")},{Str("gen_ai.prompt.0.content", "be brief")},{Str("gen_ai.prompt.1.role", "user")}," +
            $"{Str("gen_ai.prompt.1.content", "hi")},{Str("gen_ai.completion.0.role", "assistant")},{Str("gen_ai.completion.0.content", "hello")}");

        Assert.Equal("""[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}]""", o.Input);
        Assert.Equal("""[{"role":"assistant","content":"hello"}]""", o.Output);
    }

    [Fact]
    public void Map_GenAiPromptAndCompletionAttributes_Used()
    {
        var o = Observation($"{Str("gen_ai.prompt", "[{\"role\":\"user\"}]")},{Str("gen_ai.completion", "done")}");

        Assert.Equal("""[{"role":"user"}]""", o.Input);
        Assert.Equal("\"done\"", o.Output);
    }

    [Fact]
    public void Map_GenAiMessageEvents_BecomeInputAndOutput()
    {
        var o = Observation("", extra: """
            ,"events":[
              {"name":"gen_ai.system.message","attributes":[{"key":"content","value":{"stringValue":"sys"}}]},
              {"name":"gen_ai.user.message","attributes":[{"key":"content","value":{"stringValue":"hi"}}]},
              {"name":"gen_ai.choice","attributes":[{"key":"index","value":{"intValue":"0"}},{"key":"finish_reason","value":{"stringValue":"stop"}}]}]
            """);

        Assert.Equal("""[{"role":"system","content":"sys"},{"role":"user","content":"hi"}]""", o.Input);
        Assert.Equal("""{"index":0,"finish_reason":"stop"}""", o.Output);
    }

    [Fact]
    public void Map_GenAiInputMessages_WithSystemInstructionsPrepended()
    {
        var o = Observation($"{Str("gen_ai.input.messages", "[{\"role\":\"user\",\"content\":\"hi\"}]")},{Str("gen_ai.system_instructions", "be kind")}," +
            $"{Str("gen_ai.output.messages", "[{\"role\":\"assistant\"}]")}");

        Assert.Equal("""[{"role":"system","content":"be kind"},{"role":"user","content":"hi"}]""", o.Input);
        Assert.Equal("""[{"role":"assistant"}]""", o.Output);
    }

    [Fact]
    public void Map_OpenInferenceValues_Used()
    {
        var o = Observation($"{Str("input.value", "{\"q\":1}")},{Str("output.value", "answer")}");

        Assert.Equal("""{"q":1}""", o.Input);
        Assert.Equal("\"answer\"", o.Output);
    }

    [Fact]
    public void Map_VercelAiSdk_InputOutputModelAndUsage()
    {
        var o = Observation($"{Str("ai.operationId", "ai.generateText.doGenerate")},{Str("operation.name", "ai.generateText.doGenerate my-fn")}," +
            $"{Str("ai.model.id", "gpt-4o")},{Str("ai.prompt.messages", "[{\"role\":\"user\"}]")},{Str("ai.response.text", "hi there")}," +
            $"{Int("gen_ai.usage.input_tokens", 8)},{Int("gen_ai.usage.output_tokens", 2)},{Str("ai.telemetry.functionId", "my-fn")}", scope: "ai");

        Assert.Equal("GENERATION", o.Type);
        Assert.Equal("gpt-4o", o.Model);
        Assert.Equal("my-fn:ai.generateText.doGenerate", o.Name);
        Assert.Equal("""[{"role":"user"}]""", o.Input);
        Assert.Equal("\"hi there\"", o.Output);
        Assert.Equal(10, o.UsageDetails!["total"]);
    }

    [Fact]
    public void Map_Metadata_ObservationMetadataObjectAndRemainingAttributes()
    {
        var o = Observation($"{Str("langfuse.observation.metadata", "{\"a\":{\"b\":1},\"c\":\"d\"}")},{Str("langfuse.observation.metadata.e", "f")}," +
            $"{Str("http.url", "https://x")},{Int("retries", 3)},{Str("langfuse.observation.input", "\"q\"")}");

        Assert.Equal("""{"b":1}""", o.Metadata!["a"]);
        Assert.Equal("d", o.Metadata["c"]);
        Assert.Equal("f", o.Metadata["e"]);
        var attributes = JsonDocument.Parse(o.Metadata["attributes"]).RootElement;
        Assert.Equal("https://x", attributes.GetProperty("http.url").GetString());
        Assert.Equal("3", attributes.GetProperty("retries").GetString());
        Assert.False(attributes.TryGetProperty("langfuse.observation.input", out _));
        Assert.False(attributes.TryGetProperty("langfuse.observation.metadata.e", out _));
        Assert.True(o.Metadata.ContainsKey("resourceAttributes"));
        Assert.Equal("my-instrumentation", JsonDocument.Parse(o.Metadata["scope"]).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public void Map_ResourceTraceMetadata_OnObservationsAndTraces()
    {
        var events = Map(SingleSpan("", resourceAttributes: Str("langfuse.trace.metadata.region", "eu")));

        Assert.Equal("eu", events.Single(e => e.Trace is not null).Trace!.Metadata!["region"]);
        Assert.Equal("eu", events.Single(e => e.Observation is not null).Observation!.Metadata!["region"]);
    }

    [Fact]
    public void Map_CompletionStartTimeFromVercelMsToFirstChunk()
    {
        Assert.Equal(StartMs + 151, Observation(Dbl("ai.response.msToFirstChunk", 150.2)).CompletionStartTimeMs);
    }

    [Fact]
    public void Map_MissingStart_UsesEnd_MissingBoth_UsesNow()
    {
        var noStart = Observation("", extra: "").StartTimeMs;
        Assert.Equal(StartMs, noStart);

        var json = SingleSpan("", parentSpanId: RootSpanId)
            .Replace("\"startTimeUnixNano\":\"1748779200000000000\",", "", StringComparison.Ordinal)
            .Replace("\"endTimeUnixNano\":\"1748779201000000000\",", "", StringComparison.Ordinal);
        var o = Map(json).Single(e => e.Observation is not null).Observation!;
        Assert.Equal(Now, o.StartTimeMs);
        Assert.Equal(Now, o.EndTimeMs);

        var endOnly = Map(SingleSpan("", parentSpanId: RootSpanId).Replace("\"startTimeUnixNano\":\"1748779200000000000\",", "", StringComparison.Ordinal))
            .Single(e => e.Observation is not null).Observation!;
        Assert.Equal(StartMs + 1000, endOnly.StartTimeMs);
    }

    [Fact]
    public void Map_EmptyExport_NoEvents()
    {
        Assert.Empty(Map("""{"resourceSpans":[]}"""));
    }

    [Fact]
    public void Map_WithoutNow_UsesClockOnlyForTimelessSpans()
    {
        var events = OtelSpanMapper.Map(OtlpTraceParser.ParseJson(Utf8(LangfuseSdkExport)), Project);

        Assert.Equal(StartMs, events[0].TimestampMs);
    }

    private static string SpanJson(string spanId, string parentSpanId) =>
        $$"""{"traceId":"{{TraceId}}","spanId":"{{spanId}}","parentSpanId":"{{parentSpanId}}","name":"child","kind":1,"startTimeUnixNano":"1748779200100000000","endTimeUnixNano":"1748779200200000000","attributes":[]}""";
}
