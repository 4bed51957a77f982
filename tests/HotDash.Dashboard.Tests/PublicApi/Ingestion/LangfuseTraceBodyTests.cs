using HotDash.Grains;
using static HotDash.Dashboard.Tests.PublicApi.Ingestion.IngestionTestData;

namespace HotDash.Dashboard.Tests.PublicApi.Ingestion;

public sealed class LangfuseTraceBodyTests
{
    private static TraceRecord Trace(string body) => Assert.Single(One("trace-create", body).Events).Trace!;

    [Fact]
    public void TraceCreate_AllFields_Mapped()
    {
        var trace = Trace("""
            {"id":"t1","timestamp":"2025-06-01T11:00:00Z","name":"chat","userId":"u1","sessionId":"s1","release":"r1","version":"v1",
             "environment":"production","public":true,"tags":["a","b"],"input":{"q":"hi"},"output":"done","metadata":{"k":"v"}}
            """);

        Assert.Equal("t1", trace.Id);
        Assert.Equal(Project, trace.ProjectId);
        Assert.Equal(TsMs - 3_600_000, trace.TimestampMs);
        Assert.Equal("chat", trace.Name);
        Assert.Equal("u1", trace.UserId);
        Assert.Equal("s1", trace.SessionId);
        Assert.Equal("r1", trace.Release);
        Assert.Equal("v1", trace.Version);
        Assert.Equal("production", trace.Environment);
        Assert.True(trace.Public);
        Assert.Equal(["a", "b"], trace.Tags!.Value.ToArray());
        Assert.Equal("""{"q":"hi"}""", trace.Input);
        Assert.Equal("\"done\"", trace.Output);
        Assert.Equal("v", trace.Metadata!["k"]);
    }

    [Fact]
    public void TraceCreate_NoFields_OnlyIdAndEnvelopeTimestamp()
    {
        var trace = Trace("""{"id":"t1"}""");

        Assert.Equal(TsMs, trace.TimestampMs);
        Assert.Null(trace.Name);
        Assert.Null(trace.Environment);
        Assert.Null(trace.Tags);
        Assert.Null(trace.Input);
        Assert.Null(trace.Metadata);
        Assert.Null(trace.Public);
    }

    [Fact]
    public void TraceCreate_WithoutId_GetsUuid()
    {
        var trace = Trace("""{"name":"x"}""");

        Assert.True(Guid.TryParse(trace.Id, out _));
    }

    [Fact]
    public void TraceCreate_NullFields_AreNotSent()
    {
        var trace = Trace("""{"id":"t1","name":null,"tags":null,"input":null,"metadata":null}""");

        Assert.Null(trace.Name);
        Assert.Null(trace.Tags);
        Assert.Null(trace.Input);
        Assert.Null(trace.Metadata);
    }

    [Fact]
    public void TraceCreate_InputKeepsExactJsonText()
    {
        var trace = Trace("""{"id":"t1","input":[1, 2.50, {"a" : null}],"output":12345678901234567890}""");

        Assert.Equal("""[1, 2.50, {"a" : null}]""", trace.Input);
        Assert.Equal("12345678901234567890", trace.Output);
    }

    [Theory]
    [InlineData("""{"id":"t1","name":5}""", "body.name: Invalid input: expected string, received number")]
    [InlineData("""{"id":"t1","userId":true}""", "body.userId: Invalid input: expected string, received boolean")]
    [InlineData("""{"id":"t1","public":"yes"}""", "body.public: Invalid input: expected boolean, received string")]
    [InlineData("""{"id":"t1","tags":"a"}""", "body.tags: Invalid input: expected array, received string")]
    [InlineData("""{"id":"t1","tags":["a",1]}""", "body.tags[1]: Invalid input: expected string, received number")]
    [InlineData("""{"id":"t1","timestamp":"noon"}""", "body.timestamp: Invalid ISO datetime")]
    [InlineData("""{"id":""}""", "body.id: Too small: expected string to have >=1 characters")]
    [InlineData("""{"id":7}""", "body.id: Invalid input: expected string, received number")]
    public void TraceCreate_WrongFieldType_Error(string body, string expected)
    {
        Assert.Equal(expected, SingleError(One("trace-create", body)).Error);
    }

    [Fact]
    public void TraceCreate_NameOver1000Characters_Error()
    {
        var error = SingleError(One("trace-create", $$"""{"id":"t1","name":"{{new string('n', 1001)}}"}"""));

        Assert.Equal("body.name: Too big: expected string to have <=1000 characters", error.Error);
    }

    [Theory]
    [InlineData("Production", "production")]
    [InlineData("langfuse-prod", "prod")]
    [InlineData("langfuse_langfuse-x", "x")]
    [InlineData("has space", "default")]
    [InlineData("", "default")]
    [InlineData("langfuse", "default")]
    public void TraceCreate_Environment_NormalisedLikeLangfuse(string sent, string stored)
    {
        Assert.Equal(stored, Trace($$"""{"id":"t1","environment":"{{sent}}"}""").Environment);
    }

    [Fact]
    public void TraceCreate_EnvironmentNotString_IsDefault()
    {
        Assert.Equal("default", Trace("""{"id":"t1","environment":42}""").Environment);
    }

    [Fact]
    public void TraceCreate_EnvironmentLongerThan40_Truncated()
    {
        Assert.Equal(new string('e', 40), Trace($$"""{"id":"t1","environment":"{{new string('e', 50)}}"}""").Environment);
    }

    [Fact]
    public void Metadata_Object_TopLevelKeysStringsAsIsOthersAsCompactJson()
    {
        var metadata = Trace("""{"id":"t1","metadata":{"s":"text","n":1.5,"b":false,"z":null,"o":{ "x" : [1, "é<>"] },"a":[ ]}}""").Metadata!;

        Assert.Equal("text", metadata["s"]);
        Assert.Equal("1.5", metadata["n"]);
        Assert.Equal("false", metadata["b"]);
        Assert.Equal("null", metadata["z"]);
        Assert.Equal("""{"x":[1,"é<>"]}""", metadata["o"]);
        Assert.Equal("[]", metadata["a"]);
        Assert.Equal(6, metadata.Count);
    }

    [Theory]
    [InlineData("\"just text\"", "just text")]
    [InlineData("42", "42")]
    [InlineData("true", "true")]
    [InlineData("[1, 2]", "[1,2]")]
    public void Metadata_NotAnObject_BecomesMetadataKey(string json, string stored)
    {
        var metadata = Trace($$"""{"id":"t1","metadata":{{json}}}""").Metadata!;

        Assert.Equal(stored, Assert.Single(metadata).Value);
        Assert.Equal("metadata", metadata.Keys.Single());
    }

    [Fact]
    public void Metadata_EmptyObject_EmptyDictionary()
    {
        Assert.Empty(Trace("""{"id":"t1","metadata":{}}""").Metadata!);
    }
}
