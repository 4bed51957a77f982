using HotDash.Api.Management;

namespace HotDash.Api.Tests.Management;

public sealed class ManagementCallTests
{
    private static (JsonDocument? Body, ManagementError? Error) Parse(string text) => ManagementCall.Parse(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    public void Parse_EmptyBody_IsAnEmptyObject(string text)
    {
        var (body, error) = Parse(text);

        Assert.Null(error);
        Assert.Equal(JsonValueKind.Object, body!.RootElement.ValueKind);
        Assert.Empty(body.RootElement.EnumerateObject());
    }

    [Theory]
    [InlineData("{\"max_budget\": ")]
    [InlineData("{max_budget: 1}")]
    [InlineData("not json")]
    public void Parse_MalformedJson_Is400(string text)
    {
        var (body, error) = Parse(text);

        Assert.Null(body);
        Assert.Equal(400, error?.Status);
        Assert.Contains("Malformed JSON", error!.Message);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"sk-123\"")]
    [InlineData("5")]
    public void Parse_NotAnObject_Is400(string text)
    {
        var (body, error) = Parse(text);

        Assert.Null(body);
        Assert.Equal(400, error?.Status);
        Assert.Contains("must be a JSON object", error!.Message);
    }

    [Fact]
    public void Reply_Error_IsOpenAiShapedWithTheParam()
    {
        var reply = ManagementReply.Invalid("rpm_limit", "rpm_limit must not be negative, got -1.");

        var error = OpenAiAssert.ErrorShape(Encoding.UTF8.GetString(reply.Body.Span), "400");

        Assert.Equal(400, reply.Status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("rpm_limit", error.GetProperty("param").GetString());
    }

    [Fact]
    public void FromRegistry_NotFound_Is404WithTheRegistrysMessageAndParam()
    {
        var error = ManagementError.FromRegistry(HotDash.Grains.RegistryResult.NotFound("team_id", "team_id 'x' does not exist"));

        Assert.Equal((404, "team_id", "team_id 'x' does not exist", "not_found_error"), (error.Status, error.Param, error.Message, error.Type));
    }
}
