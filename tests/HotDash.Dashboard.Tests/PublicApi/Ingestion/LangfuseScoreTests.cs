using System.Text.Json;
using HotDash.Dashboard.PublicApi.Ingestion;
using HotDash.Grains;
using static HotDash.Dashboard.Tests.PublicApi.Ingestion.IngestionTestData;

namespace HotDash.Dashboard.Tests.PublicApi.Ingestion;

public sealed class LangfuseScoreTests
{
    private static ScoreRecord Score(string body) => Assert.Single(One("score-create", body).Events).Score!;

    private static ScoreParseResult PostScore(string body)
    {
        using var document = JsonDocument.Parse(body);
        return LangfuseIngestionParser.ParseScore(document.RootElement, Project, Now);
    }

    [Fact]
    public void ScoreCreate_Numeric_AllFields()
    {
        var score = Score("""
            {"id":"s1","traceId":"t1","observationId":"o1","name":"quality","value":0.8,"dataType":"NUMERIC","comment":"ok",
             "source":"EVAL","configId":"c1","metadata":{"judge":"gpt"},"environment":"prod"}
            """);

        Assert.Equal("s1", score.Id);
        Assert.Equal(Project, score.ProjectId);
        Assert.Equal("t1", score.TraceId);
        Assert.Equal("o1", score.ObservationId);
        Assert.Equal("quality", score.Name);
        Assert.Equal(0.8, score.Value);
        Assert.Null(score.StringValue);
        Assert.Equal("NUMERIC", score.DataType);
        Assert.Equal("ok", score.Comment);
        Assert.Equal("EVAL", score.Source);
        Assert.Equal("c1", score.ConfigId);
        Assert.Equal("gpt", score.Metadata!["judge"]);
        Assert.Equal("prod", score.Environment);
        Assert.Equal(TsMs, score.TimestampMs);
    }

    [Fact]
    public void ScoreCreate_Defaults_SourceApiNumericAndEnvelopeTime()
    {
        var score = Score("""{"traceId":"t1","name":"n","value":3}""");

        Assert.Equal("API", score.Source);
        Assert.Equal("NUMERIC", score.DataType);
        Assert.Equal(TsMs, score.TimestampMs);
        Assert.True(Guid.TryParse(score.Id, out _));
    }

    [Fact]
    public void ScoreCreate_StringValue_IsCategorical()
    {
        var score = Score("""{"traceId":"t1","name":"n","value":"good"}""");

        Assert.Equal("CATEGORICAL", score.DataType);
        Assert.Equal("good", score.StringValue);
        Assert.Equal(0, score.Value);
    }

    [Theory]
    [InlineData(1, "True")]
    [InlineData(0, "False")]
    public void ScoreCreate_Boolean_StringValueTrueFalse(int value, string stringValue)
    {
        var score = Score($$"""{"traceId":"t1","name":"n","value":{{value}},"dataType":"BOOLEAN"}""");

        Assert.Equal("BOOLEAN", score.DataType);
        Assert.Equal(value, score.Value);
        Assert.Equal(stringValue, score.StringValue);
    }

    [Fact]
    public void ScoreCreate_SessionScore_Accepted()
    {
        var score = Score("""{"sessionId":"sess","name":"n","value":1}""");

        Assert.Equal("sess", score.SessionId);
        Assert.Null(score.TraceId);
    }

    [Fact]
    public void ScoreCreate_BodyTimestamp_Wins()
    {
        Assert.Equal(TsMs + 1000, Score("""{"traceId":"t","name":"n","value":1,"timestamp":"2025-06-01T12:00:01Z"}""").TimestampMs);
    }

    [Theory]
    [InlineData("""{"traceId":"t","value":1}""", "body.name: Invalid input: expected string, received undefined")]
    [InlineData("""{"traceId":"t","name":"","value":1}""", "body.name: Too small")]
    [InlineData("""{"traceId":"t","name":"n"}""", "body.value: Invalid input: expected string | number, received undefined")]
    [InlineData("""{"traceId":"t","name":"n","value":true}""", "body.value: Invalid input")]
    [InlineData("""{"traceId":"t","name":"n","value":"x","dataType":"NUMERIC"}""", "body.value: Invalid input: expected number, received string")]
    [InlineData("""{"traceId":"t","name":"n","value":2,"dataType":"CATEGORICAL"}""", "body.value: Invalid input: expected string, received number")]
    [InlineData("""{"traceId":"t","name":"n","value":0.5,"dataType":"BOOLEAN"}""", "body.value: Value must be a number equal to either 0 or 1")]
    [InlineData("""{"traceId":"t","name":"n","value":"true","dataType":"BOOLEAN"}""", "body.value: Invalid input: expected number")]
    [InlineData("""{"traceId":"t","name":"n","value":1,"dataType":"PERCENT"}""", "body.dataType: Invalid option")]
    [InlineData("""{"traceId":"t","name":"n","value":1,"source":"USER"}""", "body.source: Invalid option")]
    [InlineData("""{"traceId":"t","name":"n","value":1,"source":"ANNOTATION"}""", "body.configId: configId is required when source is ANNOTATION")]
    [InlineData("""{"name":"n","value":1}""", "body: Provide exactly one of the following")]
    [InlineData("""{"traceId":"t","sessionId":"s","name":"n","value":1}""", "body: Provide exactly one of the following")]
    [InlineData("""{"sessionId":"s","observationId":"o","name":"n","value":1}""", "body: Provide exactly one of the following")]
    [InlineData("""{"datasetRunId":"d","name":"n","value":1}""", "body.datasetRunId: Scores on dataset runs are not supported")]
    [InlineData("""{"id":"","traceId":"t","name":"n","value":1}""", "body.id: Too small")]
    [InlineData("""{"traceId":"t","name":"n","value":1,"comment":5}""", "body.comment: Invalid input: expected string, received number")]
    public void ScoreCreate_Invalid_Error(string body, string expectedStart)
    {
        Assert.StartsWith(expectedStart, SingleError(One("score-create", body)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseScore_Valid_ReturnsScoreCreateEventAtNow()
    {
        var result = PostScore("""{"traceId":"t1","name":"helpful","value":1,"dataType":"BOOLEAN"}""");

        Assert.Null(result.Error);
        Assert.Equal(TraceEventTypes.ScoreCreate, result.Event!.Type);
        Assert.Equal(Now, result.Event.TimestampMs);
        Assert.Equal(Now, result.Score!.TimestampMs);
        Assert.Equal(Project, result.Score.ProjectId);
        Assert.Equal("True", result.Score.StringValue);
        Assert.True(Guid.TryParse(result.Score.Id, out _));
    }

    [Fact]
    public void ParseScore_EmptyId_GetsNewIdLikeLangfuse()
    {
        Assert.True(Guid.TryParse(PostScore("""{"id":"","traceId":"t1","name":"n","value":1}""").Score!.Id, out _));
    }

    [Fact]
    public void ParseScore_GivenId_Kept()
    {
        Assert.Equal("mine", PostScore("""{"id":"mine","traceId":"t1","name":"n","value":1}""").Score!.Id);
    }

    [Fact]
    public void ParseScore_Invalid_ReturnsMessageWithoutPrefix()
    {
        var result = PostScore("""{"traceId":"t1","value":1}""");

        Assert.Null(result.Event);
        Assert.Equal("name: Invalid input: expected string, received undefined", result.Error);
    }

    [Fact]
    public void ParseScore_NotAnObject_Error()
    {
        Assert.Equal("Invalid input: expected object, received array", PostScore("[]").Error);
    }
}
