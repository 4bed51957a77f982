using System.Security.Cryptography;
using HotDash.Api.Caching;

namespace HotDash.Api.Tests.Caching;

public sealed class CacheKeysTests
{
    private const string Chat = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0.5}""";

    private static string Key(string body, string group = "gpt-4o", string? ns = null) => CacheKeys.For(Encoding.UTF8.GetBytes(body), group, ns);

    [Fact]
    public void For_SimpleBody_IsTheSha256OfTheSortedMinifiedRequestWithTheGroup()
    {
        var canonical = """{"messages":[{"role":"user","content":"hi"}],"model":"gpt-4o","temperature":0.5}""";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(expected, Key(Chat));
        Assert.Matches("^[0-9a-f]{64}$", Key(Chat));
    }

    [Fact]
    public void For_Namespace_PrefixesTheKey()
    {
        Assert.Equal("team-a:" + Key(Chat), Key(Chat, ns: "team-a"));
        Assert.Equal(Key(Chat), Key(Chat, ns: ""));
    }

    [Fact]
    public void For_TopLevelOrderAndWhitespace_DoNotMatter()
    {
        var reordered = """
            {
              "temperature" : 0.5,
              "messages": [ { "role": "user", "content": "hi" } ],
              "model": "gpt-4o"
            }
            """;

        Assert.Equal(Key(Chat), Key(reordered));
    }

    [Fact]
    public void For_NestedKeyOrder_Matters()
    {
        var swapped = """{"model":"gpt-4o","messages":[{"content":"hi","role":"user"}],"temperature":0.5}""";

        Assert.NotEqual(Key(Chat), Key(swapped));
    }

    [Fact]
    public void For_ModelGroup_IsKeyedNotTheBodyModel()
    {
        var alias = """{"model":"gpt-4","messages":[{"role":"user","content":"hi"}],"temperature":0.5}""";

        Assert.Equal(Key(Chat), Key(alias));
        Assert.NotEqual(Key(Chat), Key(Chat, group: "gpt-4o-mini"));
    }

    [Theory]
    [InlineData("temperature", "0.7")]
    [InlineData("top_p", "0.9")]
    [InlineData("n", "2")]
    [InlineData("max_tokens", "10")]
    [InlineData("seed", "42")]
    [InlineData("stop", "[\"\\n\"]")]
    [InlineData("tools", "[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]")]
    [InlineData("tool_choice", "\"auto\"")]
    [InlineData("response_format", "{\"type\":\"json_object\"}")]
    public void For_AnswerChangingParameter_ChangesTheKey(string name, string value)
    {
        var body = Chat[..^1] + $",\"{name}\":{value}}}";

        Assert.NotEqual(Key(Chat), Key(body));
    }

    [Theory]
    [InlineData("user", "\"alice\"")]
    [InlineData("metadata", "{\"tags\":[\"a\"]}")]
    [InlineData("stream", "true")]
    [InlineData("stream_options", "{\"include_usage\":true}")]
    [InlineData("cache", "{\"no-cache\":true}")]
    [InlineData("mock_response", "\"hello\"")]
    [InlineData("litellm_trace_id", "\"t1\"")]
    [InlineData("hotdash_anything", "1")]
    [InlineData("num_retries", "3")]
    [InlineData("timeout", "30")]
    [InlineData("request_timeout", "30")]
    [InlineData("api_key", "\"sk-x\"")]
    [InlineData("api_base", "\"http://x\"")]
    [InlineData("base_url", "\"http://x\"")]
    [InlineData("extra_headers", "{\"x\":\"y\"}")]
    [InlineData("tags", "[\"prod\"]")]
    [InlineData("trace_id", "\"tr\"")]
    [InlineData("session_id", "\"s\"")]
    [InlineData("generation_name", "\"g\"")]
    [InlineData("fallbacks", "[\"gpt-4o-mini\"]")]
    public void For_GatewayOrLoggingField_DoesNotChangeTheKey(string name, string value)
    {
        var body = Chat[..^1] + $",\"{name}\":{value}}}";

        Assert.Equal(Key(Chat), Key(body));
    }

    [Fact]
    public void For_EscapedAndLiteralText_AreOneKey()
    {
        var literal = """{"model":"m","messages":[{"role":"user","content":"été 😀 / <b>"}]}""";
        var escaped = """{"model":"m","messages":[{"role":"user","content":"\u00e9t\u00e9 \ud83d\ude00 \/ \u003cb\u003e"}]}""";
        var escapedName = """{"model":"m","\u006dessages":[{"role":"user","content":"été 😀 / <b>"}]}""";

        Assert.Equal(Key(literal, "m"), Key(escaped, "m"));
        Assert.Equal(Key(literal, "m"), Key(escapedName, "m"));
    }

    [Fact]
    public void For_DifferentText_IsADifferentKey()
    {
        Assert.NotEqual(Key("""{"model":"m","prompt":"a"}""", "m"), Key("""{"model":"m","prompt":"b"}""", "m"));
        Assert.NotEqual(Key("""{"model":"m","input":"a"}""", "m"), Key("""{"model":"m","input":["a"]}""", "m"));
    }

    [Fact]
    public void For_LargeBodyWithManyProperties_IsStableAcrossOrder()
    {
        var big = new string('x', 100_000);
        var names = Enumerable.Range(0, 60).Select(i => $"p{i:D2}").ToArray();
        string Body(IEnumerable<string> order) =>
            "{" + string.Join(",", order.Select(n => $"\"{n}\":{{\"v\":\"{big[..(n.Length * 500)]}\",\"n\":[1,2,{{\"z\":null,\"a\":true}}]}}")) + $",\"prompt\":\"{big}\"}}";

        var forward = Key(Body(names), "m");
        var backward = Key(Body(names.Reverse()), "m");

        Assert.Equal(forward, backward);
        Assert.NotEqual(forward, Key(Body(names.Take(59)), "m"));
    }

    [Fact]
    public void For_NumberText_IsKeptAsWritten()
    {
        // 1 and 1.0 are different JSON texts; an upstream may read them differently, so they are different keys.
        Assert.NotEqual(Key("""{"model":"m","prompt":"a","temperature":1}""", "m"), Key("""{"model":"m","prompt":"a","temperature":1.0}""", "m"));
    }

    [Fact]
    public void For_LoneSurrogateEscape_IsKeyedAsWritten()
    {
        var lone = Key("""{"model":"m","prompt":"a\ud800b"}""", "m");
        var literal = Key("""{"model":"m","prompt":"a\\ud800b"}""", "m");
        var loneName = Key("""{"model":"m","x\ud800":1,"prompt":"a"}""", "m");

        Assert.Matches("^[0-9a-f]{64}$", lone);
        Assert.NotEqual(lone, literal);
        Assert.NotEqual(loneName, Key("""{"model":"m","prompt":"a"}""", "m"));
    }
}
