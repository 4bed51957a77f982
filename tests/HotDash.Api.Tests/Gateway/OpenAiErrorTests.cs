using Microsoft.AspNetCore.Http;

namespace HotDash.Api.Tests.Gateway;

public sealed class OpenAiErrorTests
{
    [Fact]
    public void Serialize_WithoutParam_WritesOpenAiShapeWithNullParam()
    {
        var json = Encoding.UTF8.GetString(OpenAiError.Serialize("Bad thing", OpenAiError.InvalidRequest, null, "400"));

        var error = OpenAiAssert.ErrorShape(json, "400");
        Assert.Equal("Bad thing", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    [Fact]
    public void Serialize_WithParam_WritesParamAsString()
    {
        var json = Encoding.UTF8.GetString(OpenAiError.Serialize("x", OpenAiError.InvalidRequest, "model", "404"));

        Assert.Equal("model", OpenAiAssert.ErrorShape(json, "404").GetProperty("param").GetString());
    }

    [Fact]
    public void Serialize_MessageWithQuotesAndControlCharacters_StaysValidJson()
    {
        const string message = "He said \"no\"\n\tand left \\ </script> ✓";

        var json = Encoding.UTF8.GetString(OpenAiError.Serialize(message, OpenAiError.Upstream, null, "502"));

        Assert.Equal(message, OpenAiAssert.ErrorShape(json, "502").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(408)]
    [InlineData(413)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task WriteAsync_AnyStatus_SetsStatusJsonAndCodeAsStatusString(int status)
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await OpenAiError.WriteAsync(context, status, "went wrong", OpenAiError.TypeForStatus(status), "messages");

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal(body.Length, context.Response.ContentLength);
        var error = OpenAiAssert.ErrorShape(Encoding.UTF8.GetString(body.ToArray()), status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("messages", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task WriteAsync_ExplicitCode_OverridesTheStatusCode()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await OpenAiError.WriteAsync(context, 400, "unknown model", OpenAiError.InvalidRequest, "model", "model_not_found");

        var root = JsonDocument.Parse(body.ToArray()).RootElement;
        Assert.Equal("model_not_found", root.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "auth_error")]
    [InlineData(403, "auth_error")]
    [InlineData(404, "invalid_request_error")]
    [InlineData(408, "timeout_error")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "upstream_error")]
    [InlineData(503, "upstream_error")]
    [InlineData(504, "timeout_error")]
    public void TypeForStatus_UpstreamStatus_MapsToOpenAiErrorType(int status, string type)
    {
        Assert.Equal(type, OpenAiError.TypeForStatus(status));
    }
}
