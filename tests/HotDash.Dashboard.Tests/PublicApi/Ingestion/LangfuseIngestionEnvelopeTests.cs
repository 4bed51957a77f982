using HotDash.Grains;
using static HotDash.Dashboard.Tests.PublicApi.Ingestion.IngestionTestData;

namespace HotDash.Dashboard.Tests.PublicApi.Ingestion;

public sealed class LangfuseIngestionEnvelopeTests
{
    [Fact]
    public void Parse_NotJson_IsBadRequest()
    {
        var result = Parse("{not json");

        Assert.True(result.IsBadRequest);
        Assert.Equal("Invalid request data", result.Message);
        Assert.StartsWith("Invalid JSON", Assert.Single(result.RequestErrors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BodyIsArray_IsBadRequestLikeZod()
    {
        var result = Parse("[]");

        Assert.True(result.IsBadRequest);
        Assert.Equal("Invalid input: expected object, received array", Assert.Single(result.RequestErrors));
    }

    [Fact]
    public void Parse_BatchMissing_IsBadRequestLikeZod()
    {
        var result = Parse("""{"metadata":{}}""");

        Assert.True(result.IsBadRequest);
        Assert.Equal("Invalid input: expected array, received undefined", Assert.Single(result.RequestErrors));
    }

    [Fact]
    public void Parse_BatchNotArray_IsBadRequest()
    {
        var result = Parse("""{"batch":{"id":"x"}}""");

        Assert.True(result.IsBadRequest);
        Assert.Equal("Invalid input: expected array, received object", Assert.Single(result.RequestErrors));
    }

    [Fact]
    public void Parse_EmptyBatch_NoSuccessesNoErrors()
    {
        var result = Parse("""{"batch":[]}""");

        Assert.False(result.IsBadRequest);
        Assert.Empty(result.Successes);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void Parse_ValidEvent_ReportsSuccess201()
    {
        var result = One("trace-create", """{"id":"t1"}""");

        var success = Assert.Single(result.Successes);
        Assert.Equal(new("evt-1", 201), success);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Parse_EventNotObject_ErrorUnderUnknownId()
    {
        var result = Parse("""{"batch":["nope"]}""");

        var error = SingleError(result);
        Assert.Equal("unknown", error.Id);
        Assert.Equal(400, error.Status);
        Assert.Equal("Invalid request data", error.Message);
    }

    [Fact]
    public void Parse_MissingId_ErrorUnknownId()
    {
        var result = Parse($$$"""{"batch":[{"timestamp":"{{{Ts}}}","type":"trace-create","body":{}}]}""");

        var error = SingleError(result);
        Assert.Equal("unknown", error.Id);
        Assert.StartsWith("id:", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NumericId_ErrorUnknownId()
    {
        var result = Parse($$$"""{"batch":[{"id":5,"timestamp":"{{{Ts}}}","type":"trace-create","body":{}}]}""");

        Assert.Equal("unknown", SingleError(result).Id);
    }

    [Fact]
    public void Parse_MissingType_ErrorNamesType()
    {
        var result = Parse($$$"""{"batch":[{"id":"e1","timestamp":"{{{Ts}}}","body":{}}]}""");

        var error = SingleError(result);
        Assert.Equal("e1", error.Id);
        Assert.StartsWith("type: Invalid discriminator value", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownType_Error()
    {
        var error = SingleError(One("trace-delete", "{}"));

        Assert.StartsWith("type:", error.Error, StringComparison.Ordinal);
        Assert.Contains("'trace-create'", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingTimestamp_Error()
    {
        var result = Parse("""{"batch":[{"id":"e1","type":"trace-create","body":{}}]}""");

        Assert.Equal("timestamp: Invalid input: expected string, received undefined", SingleError(result).Error);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2025-06-01")]
    [InlineData("2025-13-01T00:00:00Z")]
    [InlineData("2025-02-30T00:00:00Z")]
    [InlineData("2025-06-01T25:00:00Z")]
    [InlineData("2025-06-01T12:00:00+24:00")]
    [InlineData("2025-06-01T12:00:00.Z")]
    [InlineData("2025-06-01 12:00:00Z")]
    public void Parse_InvalidTimestamp_Error(string timestamp)
    {
        var error = SingleError(One("trace-create", "{}", timestamp: timestamp));

        Assert.Equal("timestamp: Invalid ISO datetime", error.Error);
    }

    [Theory]
    [InlineData("2025-06-01T12:00:00.000Z", TsMs)]
    [InlineData("2025-06-01T12:00:00Z", TsMs)]
    [InlineData("2025-06-01T12:00Z", TsMs)]
    [InlineData("2025-06-01T12:00:00", TsMs)]
    [InlineData("2025-06-01T12:00:00.123456789Z", TsMs + 123)]
    [InlineData("2025-06-01T12:00:00.5Z", TsMs + 500)]
    [InlineData("2025-06-01T14:00:00+02:00", TsMs)]
    [InlineData("2025-06-01T14:00:00+0200", TsMs)]
    [InlineData("2025-06-01T10:30:00-01:30", TsMs)]
    [InlineData("2025-06-01T14:00:00.250+02", TsMs + 250)]
    public void Parse_IsoTimestamps_BecomeUtcEpochMs(string timestamp, long expectedMs)
    {
        var result = One("trace-create", """{"id":"t1"}""", timestamp: timestamp);

        Assert.Equal(expectedMs, Assert.Single(result.Events).TimestampMs);
    }

    [Fact]
    public void Parse_BodyMissing_Error()
    {
        var result = Parse($$$"""{"batch":[{"id":"e1","timestamp":"{{{Ts}}}","type":"trace-create"}]}""");

        Assert.Equal("body: Invalid input: expected object, received undefined", SingleError(result).Error);
    }

    [Fact]
    public void Parse_IdTooLong_Error()
    {
        var error = SingleError(One("trace-create", "{}", id: new string('x', 801)));

        Assert.Equal("id: Too big: expected string to have <=800 characters", error.Error);
    }

    [Fact]
    public void Parse_IdWithCarriageReturn_Error()
    {
        var error = SingleError(One("trace-create", "{}", id: "a\\rb"));

        Assert.Equal("id: ID cannot contain carriage return characters", error.Error);
    }

    [Fact]
    public void Parse_EnvelopeMetadata_IsIgnored()
    {
        var result = Parse($$$"""{"batch":[{"id":"e1","timestamp":"{{{Ts}}}","type":"trace-create","body":{"id":"t"},"metadata":{"sdk":"py"}}],"metadata":[1,2]}""");

        var trace = Assert.Single(result.Events).Trace!;
        Assert.Null(trace.Metadata);
    }

    [Fact]
    public void Parse_SdkLog_AcceptedButNeitherStoredNorListed()
    {
        var result = One("sdk-log", """{"log":{"level":"info","message":"hi"}}""");

        Assert.Empty(result.Successes);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void Parse_SdkLogWithoutLog_Error()
    {
        Assert.StartsWith("body.log:", SingleError(One("sdk-log", "{}")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DatasetRunItemCreate_RefusedAsInternalOnly()
    {
        var error = SingleError(One("dataset-run-item-create", """{"traceId":"t","datasetId":"d","runId":"r","datasetItemId":"i"}"""));

        Assert.Equal("body: Dataset run item creation is only allowed for internal usage", error.Error);
    }

    [Fact]
    public void Parse_MixedBatch_ValidAndInvalidReportedSeparately()
    {
        var result = Parse($$$"""
            {"batch":[
              {"id":"ok","timestamp":"{{{Ts}}}","type":"trace-create","body":{"id":"t1"}},
              {"id":"bad","timestamp":"{{{Ts}}}","type":"score-create","body":{"traceId":"t1","value":1}},
              {"id":"log","timestamp":"{{{Ts}}}","type":"sdk-log","body":{"log":"x"}}
            ]}
            """);

        Assert.Equal(["ok"], result.Successes.Select(s => s.Id));
        Assert.Equal("bad", Assert.Single(result.Errors).Id);
        Assert.Single(result.Events);
    }

    [Fact]
    public void Parse_Batch_OrderedCreatesThenUpdatesByTimestamp()
    {
        var result = Parse("""
            {"batch":[
              {"id":"u2","timestamp":"2025-06-01T12:00:05Z","type":"generation-update","body":{"id":"g"}},
              {"id":"c2","timestamp":"2025-06-01T12:00:02Z","type":"span-create","body":{"id":"s","traceId":"t"}},
              {"id":"u1","timestamp":"2025-06-01T12:00:01Z","type":"span-update","body":{"id":"s"}},
              {"id":"c1","timestamp":"2025-06-01T12:00:03Z","type":"trace-create","body":{"id":"t"}},
              {"id":"c0","timestamp":"2025-06-01T12:00:00Z","type":"generation-create","body":{"id":"g","traceId":"t"}}
            ]}
            """);

        Assert.Equal(["c0", "c2", "c1", "u1", "u2"], result.Successes.Select(s => s.Id));
        Assert.Equal(["c0", "c2", "c1", "u1", "u2"], result.Events.Select(e => e.EventId));
    }

    [Fact]
    public void Parse_EveryRecord_GetsTheProjectArgument()
    {
        var result = Parse($$$"""
            {"batch":[
              {"id":"a","timestamp":"{{{Ts}}}","type":"trace-create","body":{"id":"t","projectId":"other"}},
              {"id":"b","timestamp":"{{{Ts}}}","type":"span-create","body":{"id":"s","traceId":"t","projectId":"other"}},
              {"id":"c","timestamp":"{{{Ts}}}","type":"score-create","body":{"name":"n","value":1,"traceId":"t","projectId":"other"}}
            ]}
            """);

        Assert.All(result.Events, e => Assert.Equal(Project, e.ProjectId));
    }

    [Fact]
    public void Parse_EventIdAndType_AreTheEnvelopes()
    {
        var e = Assert.Single(One("span-create", """{"id":"s1","traceId":"t1"}""", id: "env-9").Events);

        Assert.Equal("env-9", e.EventId);
        Assert.Equal(TraceEventTypes.SpanCreate, e.Type);
        Assert.Equal("s1", e.EntityId);
        Assert.Equal(TsMs, e.TimestampMs);
    }
}
