namespace HotDash.Api.Tests.Gateway;

public sealed class RequestInspectorTests
{
    private static RequestInfo Inspect(string json, EndpointKind kind = EndpointKind.ChatCompletions) =>
        RequestInspector.Inspect(Encoding.UTF8.GetBytes(json), kind);

    [Fact]
    public void Inspect_ValidChatBody_ReadsWhatRoutingNeeds()
    {
        const string json = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true},"max_tokens":7,"temperature":0.2}""";

        var info = Inspect(json);

        Assert.True(info.IsValid, info.ErrorMessage);
        Assert.Equal("gpt-4o", info.Model);
        Assert.True(info.Stream);
        Assert.True(info.IncludeUsage);
        Assert.Equal(7, info.MaxTokens);
        Assert.True(info.HasMessages);
        Assert.Null(info.MockResponse);
        Assert.Empty(info.GatewayOnlyProperties);
        Assert.Equal("\"gpt-4o\"", json[info.ModelTokenStart..info.ModelTokenEnd]);
    }

    [Fact]
    public void Inspect_ModelWithEscapes_ReadsUnescapedNameAndWholeToken()
    {
        const string json = """{"messages":[{"role":"user","content":"hi"}], "model" : "a\/b\u0041"}""";

        var info = Inspect(json);

        Assert.True(info.IsValid, info.ErrorMessage);
        Assert.Equal("a/bA", info.Model);
        Assert.Equal("""
            "a\/b\u0041"
            """, json[info.ModelTokenStart..info.ModelTokenEnd]);
    }

    [Fact]
    public void Inspect_StreamAbsentOrNull_IsNotStreamed()
    {
        Assert.False(Inspect("""{"model":"m","messages":[{"role":"user","content":"x"}]}""").Stream);
        Assert.False(Inspect("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream":null}""").Stream);
    }

    [Fact]
    public void Inspect_MockResponseAndMetadata_AreRecordedAsGatewayOnly()
    {
        var info = Inspect("""{"model":"m","mock_response":"canned","metadata":{"a":1},"messages":[{"role":"user","content":"x"}]}""");

        Assert.True(info.IsValid, info.ErrorMessage);
        Assert.Equal("canned", info.MockResponse);
        Assert.Equal(2, info.GatewayOnlyProperties.Count);
    }

    [Theory]
    [InlineData("{\"model\":", null)]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]", null)]
    [InlineData("{\"model\":\"m\" \"messages\":[]}", null)]
    [InlineData("not json", null)]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} trailing", null)]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}{}", null)]
    [InlineData("", null)]
    [InlineData("[]", null)]
    [InlineData("\"just a string\"", null)]
    [InlineData("{\"model\":\"m\",/*c*/\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", null)]
    public void Inspect_MalformedOrNonObjectBody_IsInvalidWithoutParam(string json, string? param)
    {
        var info = Inspect(json);

        Assert.False(info.IsValid);
        Assert.False(string.IsNullOrWhiteSpace(info.ErrorMessage));
        Assert.Equal(param, info.ErrorParam);
    }

    [Fact]
    public void Inspect_MalformedJson_SaysTheBodyIsNotValidJson()
    {
        var info = Inspect("{\"model\":\"m\",\"messages\":[}");

        Assert.Contains("not valid JSON", info.ErrorMessage);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":null,"messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":["a"],"messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":"m"}""", "messages")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"m","messages":["hi"]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}, 3]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"}""", "stream")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream":1}""", "stream")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream_options":true}""", "stream_options")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":"yes"}}""", "stream_options")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":-1}""", "max_tokens")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":"10"}""", "max_tokens")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"mock_response":5}""", "mock_response")]
    public void Inspect_ChatBodyWithBadField_NamesTheField(string json, string param)
    {
        var info = Inspect(json);

        Assert.False(info.IsValid);
        Assert.Equal(param, info.ErrorParam);
        Assert.Contains(param, info.ErrorMessage);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "prompt")]
    [InlineData("""{"model":"m","prompt":null}""", "prompt")]
    [InlineData("""{"model":"m","prompt":42}""", "prompt")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", "prompt")]
    public void Inspect_CompletionsWithoutPrompt_IsInvalid(string json, string param)
    {
        var info = Inspect(json, EndpointKind.Completions);

        Assert.False(info.IsValid);
        Assert.Equal(param, info.ErrorParam);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"Say hi"}""")]
    [InlineData("""{"model":"m","prompt":["a","b"]}""")]
    [InlineData("""{"model":"m","prompt":[1,2,3]}""")]
    public void Inspect_CompletionsWithPrompt_IsValid(string json)
    {
        var info = Inspect(json, EndpointKind.Completions);

        Assert.True(info.IsValid, info.ErrorMessage);
        Assert.True(info.HasPrompt);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":null}""", "input")]
    [InlineData("""{"model":"m","input":{"text":"x"}}""", "input")]
    [InlineData("""{"model":"m","input":"x","stream":true}""", "stream")]
    public void Inspect_EmbeddingsWithoutUsableInput_IsInvalid(string json, string param)
    {
        var info = Inspect(json, EndpointKind.Embeddings);

        Assert.False(info.IsValid);
        Assert.Equal(param, info.ErrorParam);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"hello"}""")]
    [InlineData("""{"model":"m","input":["a","b"],"encoding_format":"base64"}""")]
    [InlineData("""{"model":"m","input":[[1,2],[3]]}""")]
    public void Inspect_EmbeddingsWithInput_IsValid(string json)
    {
        var info = Inspect(json, EndpointKind.Embeddings);

        Assert.True(info.IsValid, info.ErrorMessage);
        Assert.True(info.HasInput);
    }

    [Fact]
    public void Inspect_MessagesOnEmbeddings_AreIgnored()
    {
        var info = Inspect("""{"model":"m","messages":"whatever","input":"x"}""", EndpointKind.Embeddings);

        Assert.True(info.IsValid, info.ErrorMessage);
    }

    [Fact]
    public void Inspect_DeeplyNestedUnknownFields_AreSkippedNotRejected()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var info = Inspect($$"""{"extra":{{nested}},"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}""");

        Assert.True(info.IsValid, info.ErrorMessage);
        Assert.Equal("m", info.Model);
    }
}
