using HotDash.Grains;
using static HotDash.Dashboard.Tests.PublicApi.Ingestion.IngestionTestData;

namespace HotDash.Dashboard.Tests.PublicApi.Ingestion;

public sealed class LangfuseObservationBodyTests
{
    private static ObservationRecord Observation(string type, string body) =>
        One(type, body).Events.Single(e => e.Observation is not null).Observation!;

    [Theory]
    [InlineData("span-create", "SPAN")]
    [InlineData("event-create", "EVENT")]
    [InlineData("generation-create", "GENERATION")]
    [InlineData("agent-create", "AGENT")]
    [InlineData("tool-create", "TOOL")]
    [InlineData("chain-create", "CHAIN")]
    [InlineData("retriever-create", "RETRIEVER")]
    [InlineData("evaluator-create", "EVALUATOR")]
    [InlineData("embedding-create", "EMBEDDING")]
    [InlineData("guardrail-create", "GUARDRAIL")]
    [InlineData("span-update", "SPAN")]
    [InlineData("generation-update", "GENERATION")]
    public void ObservationEvent_EveryType_MapsTypeAndEventType(string eventType, string observationType)
    {
        var e = Assert.Single(One(eventType, """{"id":"o1","traceId":"t1"}""").Events);

        Assert.Equal(eventType, e.Type);
        Assert.Equal(observationType, e.Observation!.Type);
        Assert.Equal("o1", e.Observation.Id);
        Assert.Equal("t1", e.Observation.TraceId);
        Assert.Equal(Project, e.Observation.ProjectId);
    }

    [Fact]
    public void GenerationCreate_AllFields_Mapped()
    {
        var o = Observation("generation-create", """
            {"id":"g1","traceId":"t1","name":"llm","startTime":"2025-06-01T12:00:00Z","endTime":"2025-06-01T12:00:02.5Z",
             "completionStartTime":"2025-06-01T12:00:00.300Z","parentObservationId":"s1","level":"WARNING","statusMessage":"slow",
             "version":"v2","environment":"staging","input":[{"role":"user","content":"hi"}],"output":{"role":"assistant"},
             "metadata":{"a":1},"model":"gpt-4o","modelParameters":{"temperature":0.2,"stop":["x"],"tools":{"a":"b"},"stream":false,"n":null},
             "promptName":"p","promptVersion":3}
            """);

        Assert.Equal("llm", o.Name);
        Assert.Equal(TsMs, o.StartTimeMs);
        Assert.Equal(TsMs + 2500, o.EndTimeMs);
        Assert.Equal(TsMs + 300, o.CompletionStartTimeMs);
        Assert.Equal("s1", o.ParentObservationId);
        Assert.Equal("WARNING", o.Level);
        Assert.Equal("slow", o.StatusMessage);
        Assert.Equal("v2", o.Version);
        Assert.Equal("staging", o.Environment);
        Assert.Equal("""[{"role":"user","content":"hi"}]""", o.Input);
        Assert.Equal("""{"role":"assistant"}""", o.Output);
        Assert.Equal("1", o.Metadata!["a"]);
        Assert.Equal("gpt-4o", o.Model);
        Assert.Equal("""{"temperature":0.2,"stop":["x"],"tools":{"a":"b"},"stream":false,"n":null}""", o.ModelParameters);
        Assert.Equal("p", o.PromptName);
        Assert.Equal(3, o.PromptVersion);
        Assert.Null(o.UsageDetails);
        Assert.Null(o.CostDetails);
        Assert.Null(o.TotalCost);
    }

    [Fact]
    public void Create_WithoutStartTime_StartsAtEnvelopeTimestamp()
    {
        Assert.Equal(TsMs, Observation("span-create", """{"id":"s1","traceId":"t1"}""").StartTimeMs);
    }

    [Fact]
    public void Update_WithoutStartTime_LeavesStartUnset()
    {
        Assert.Null(Observation("span-update", """{"id":"s1","endTime":"2025-06-01T12:00:01Z"}""").StartTimeMs);
    }

    [Fact]
    public void EventCreate_EndTimeNotInItsSchema_Ignored()
    {
        Assert.Null(Observation("event-create", """{"id":"e1","traceId":"t1","endTime":"2025-06-01T12:00:01Z"}""").EndTimeMs);
    }

    [Fact]
    public void SpanCreate_GenerationFieldsNotInItsSchema_Ignored()
    {
        var o = Observation("span-create", """{"id":"s1","traceId":"t1","model":"gpt","usage":{"input":1}}""");

        Assert.Null(o.Model);
        Assert.Null(o.UsageDetails);
    }

    [Fact]
    public void Update_WithoutId_Error()
    {
        Assert.Equal("body.id: Invalid input: expected string, received undefined", SingleError(One("generation-update", """{"traceId":"t1"}""")).Error);
    }

    [Fact]
    public void Create_WithoutId_GetsUuid()
    {
        Assert.True(Guid.TryParse(Observation("span-create", """{"traceId":"t1"}""").Id, out _));
    }

    [Fact]
    public void Create_WithoutTraceId_GetsWrapperTraceWithItsOwnId()
    {
        var result = One("generation-create", """{"id":"g1","startTime":"2025-06-01T11:00:00Z","environment":"prod"}""");

        Assert.Equal(["evt-1"], result.Successes.Select(s => s.Id));
        Assert.Equal(2, result.Events.Length);
        var trace = result.Events[0];
        var observation = result.Events[1];
        Assert.Equal(TraceEventTypes.TraceCreate, trace.Type);
        Assert.Equal("g1", trace.Trace!.Id);
        Assert.Equal(TsMs - 3_600_000, trace.Trace.TimestampMs);
        Assert.Equal("prod", trace.Trace.Environment);
        Assert.Equal(Project, trace.Trace.ProjectId);
        Assert.NotEqual(observation.EventId, trace.EventId);
        Assert.Equal("g1", observation.Observation!.TraceId);
    }

    [Fact]
    public void Update_WithoutTraceId_NoWrapperTrace()
    {
        var result = One("span-update", """{"id":"s1"}""");

        Assert.Null(Assert.Single(result.Events).Observation!.TraceId);
    }

    [Theory]
    [InlineData("""{"id":"o","level":"INFO"}""", "body.level: Invalid option")]
    [InlineData("""{"id":"o","startTime":"soon"}""", "body.startTime: Invalid ISO datetime")]
    [InlineData("""{"id":"o","endTime":"2025-06-01"}""", "body.endTime: Invalid ISO datetime")]
    [InlineData("""{"id":"o","completionStartTime":5}""", "body.completionStartTime: Invalid input: expected string, received number")]
    [InlineData("""{"id":"o","traceId":""}""", "body.traceId: Too small")]
    [InlineData("""{"id":"o","model":{}}""", "body.model: Invalid input: expected string, received object")]
    [InlineData("""{"id":"o","modelParameters":[1]}""", "body.modelParameters: Invalid input: expected record, received array")]
    [InlineData("""{"id":"o","modelParameters":{"x":[1]}}""", "body.modelParameters.x: Invalid input")]
    [InlineData("""{"id":"o","modelParameters":{"x":{"y":1}}}""", "body.modelParameters.x: Invalid input")]
    [InlineData("""{"id":"o","promptName":"p"}""", "body: promptName and promptVersion must be set together")]
    [InlineData("""{"id":"o","promptVersion":2}""", "body: promptName and promptVersion must be set together")]
    [InlineData("""{"id":"o","promptName":"p","promptVersion":1.5}""", "body.promptVersion: Invalid input: expected int")]
    [InlineData("""{"id":"o","statusMessage":false}""", "body.statusMessage: Invalid input: expected string, received boolean")]
    [InlineData("""{"id":"o","parentObservationId":1}""", "body.parentObservationId: Invalid input: expected string, received number")]
    public void GenerationCreate_InvalidField_Error(string body, string expectedStart)
    {
        Assert.StartsWith(expectedStart, SingleError(One("generation-create", body)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void LegacyObservationCreate_MapsByBodyType()
    {
        var e = Assert.Single(One("observation-create", """{"id":"g","traceId":"t","type":"GENERATION","usage":{"input":2,"output":3}}""").Events);

        Assert.Equal("generation-create", e.Type);
        Assert.Equal("GENERATION", e.Observation!.Type);
        Assert.Equal(5, e.Observation.UsageDetails![UsageKeys.Total]);
    }

    [Fact]
    public void LegacyObservationUpdate_EventBecomesSpanUpdate()
    {
        var e = Assert.Single(One("observation-update", """{"id":"e","type":"EVENT"}""").Events);

        Assert.Equal(TraceEventTypes.SpanUpdate, e.Type);
        Assert.Equal("EVENT", e.Observation!.Type);
    }

    [Fact]
    public void LegacyObservation_UnknownBodyType_Error()
    {
        Assert.StartsWith("body.type: Invalid option", SingleError(One("observation-create", """{"id":"x","type":"TOOL"}""")).Error, StringComparison.Ordinal);
    }
}
