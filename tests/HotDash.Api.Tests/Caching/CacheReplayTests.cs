using System.Collections.Immutable;
using HotDash.Api.Caching;
using Microsoft.AspNetCore.Http;

namespace HotDash.Api.Tests.Caching;

public sealed class CacheReplayTests
{
    private const string Head = "\"id\":\"chatcmpl-A1\",\"object\":\"chat.completion.chunk\",\"created\":1727000000,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_abc\"";

    private static string ChatChunk(string choice) => $"{{{Head},\"choices\":[{choice}]}}";

    private static string Delta(int index, string delta, string finish = "null") =>
        $"{{\"index\":{index},\"delta\":{delta},\"logprobs\":null,\"finish_reason\":{finish}}}";

    private static ImmutableArray<byte[]> Chunks(params string[] chunks) => [.. chunks.Select(Encoding.UTF8.GetBytes)];

    // An OpenAI stream of two parallel tool calls, the arguments split over many deltas.
    private static readonly ImmutableArray<byte[]> ToolCallStream = Chunks(
        ChatChunk(Delta(0, """{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null}""")),
        ChatChunk(Delta(0, """{"tool_calls":[{"index":0,"function":{"arguments":"{\"lo"}}]}""")),
        ChatChunk(Delta(0, """{"tool_calls":[{"index":0,"function":{"arguments":"cation\": \"Par"}}]}""")),
        ChatChunk(Delta(0, """{"tool_calls":[{"index":0,"function":{"arguments":"is\"}"}}]}""")),
        ChatChunk(Delta(0, """{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"get_time","arguments":""}}]}""")),
        ChatChunk(Delta(0, """{"tool_calls":[{"index":1,"function":{"arguments":"{\"tz\":"}}]}""")),
        ChatChunk(Delta(0, """{"tool_calls":[{"index":1,"function":{"arguments":"\"CET\"}"}}]}""")),
        ChatChunk(Delta(0, "{}", "\"tool_calls\"")),
        $"{{{Head},\"choices\":[],\"usage\":{{\"prompt_tokens\":80,\"completion_tokens\":40,\"total_tokens\":120,\"prompt_tokens_details\":{{\"cached_tokens\":0}}}}}}");

    // A reasoning model's stream: reasoning_content first, then the answer with unicode and escapes.
    private static readonly ImmutableArray<byte[]> ReasoningStream = Chunks(
        ChatChunk(Delta(0, """{"role":"assistant","content":""}""")),
        ChatChunk(Delta(0, """{"reasoning_content":"Let me think"}""")),
        ChatChunk(Delta(0, """{"reasoning_content":" about \"été\"…"}""")),
        ChatChunk(Delta(0, """{"content":"Bonjour \u00e9t\u00e9 "}""")),
        ChatChunk(Delta(0, """{"content":"😀 \"quoted\" \\ back\nline"}""")),
        ChatChunk(Delta(0, """{"content":" <tag> & \/ done"}""")),
        ChatChunk(Delta(0, "{}", "\"stop\"")),
        $"{{{Head},\"choices\":[],\"usage\":{{\"prompt_tokens\":12,\"completion_tokens\":30,\"total_tokens\":42,\"completion_tokens_details\":{{\"reasoning_tokens\":9}}}}}}");

    // n=2: the two choices' deltas interleave.
    private static readonly ImmutableArray<byte[]> TwoChoiceStream = Chunks(
        ChatChunk(Delta(0, """{"role":"assistant","content":""}""")),
        ChatChunk(Delta(1, """{"role":"assistant","content":""}""")),
        ChatChunk(Delta(1, """{"content":"Second "}""")),
        ChatChunk(Delta(0, """{"content":"First "}""")),
        ChatChunk(Delta(0, """{"content":"answer"}""")),
        ChatChunk(Delta(1, """{"content":"answer"}""")),
        ChatChunk(Delta(1, "{}", "\"length\"")),
        ChatChunk(Delta(0, "{}", "\"stop\"")));

    private const string PlainChat = """
        {
          "id": "chatcmpl-B2", "object": "chat.completion", "created": 1727000001, "model": "gpt-4o-2024-08-06",
          "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "Bonjour \u00e9t\u00e9 \ud83d\ude00 \"q\" \\ back\nline", "refusal": null,
              "reasoning_content": "first I think"}, "logprobs": null, "finish_reason": "stop"},
            {"index": 1, "message": {"role": "assistant", "content": null, "refusal": null, "tool_calls": [
              {"id": "call_9", "type": "function", "function": {"name": "lookup", "arguments": "{\"q\":[1,2],\"s\":\"\\u00e9\"}"}},
              {"id": "call_10", "type": "function", "function": {"name": "other", "arguments": "{}"}}]},
             "logprobs": null, "finish_reason": "tool_calls"}
          ],
          "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30, "completion_tokens_details": {"reasoning_tokens": 5}},
          "system_fingerprint": "fp_x"
        }
        """;

    private static JsonElement Json(byte[] bytes) => JsonDocument.Parse(bytes).RootElement;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // What must survive a replay: per choice role, content, reasoning, refusal, tool calls and finish reason; the usage.
    private static void AssertSameAnswer(JsonElement expected, JsonElement actual)
    {
        var e = expected.GetProperty("choices").EnumerateArray().ToList();
        var a = actual.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(e.Count, a.Count);
        for (var i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i].GetProperty("index").GetInt32(), a[i].GetProperty("index").GetInt32());
            Assert.Equal(Str(e[i], "finish_reason"), Str(a[i], "finish_reason"));
            if (e[i].TryGetProperty("message", out var em))
            {
                var am = a[i].GetProperty("message");
                Assert.Equal(Str(em, "role"), Str(am, "role"));
                Assert.Equal(Str(em, "content"), Str(am, "content"));
                Assert.Equal(em.GetProperty("content").ValueKind, am.GetProperty("content").ValueKind);
                Assert.Equal(Str(em, "reasoning_content"), Str(am, "reasoning_content"));
                Assert.Equal(Str(em, "refusal"), Str(am, "refusal"));
                var hasCalls = em.TryGetProperty("tool_calls", out var ec);
                Assert.Equal(hasCalls, am.TryGetProperty("tool_calls", out var ac));
                if (hasCalls)
                {
                    Assert.True(JsonElement.DeepEquals(ec, ac), $"tool calls differ: {ec} vs {ac}");
                }
            }
            else
            {
                Assert.Equal(Str(e[i], "text"), Str(a[i], "text"));
            }
        }
        var eu = expected.TryGetProperty("usage", out var u1);
        Assert.Equal(eu, actual.TryGetProperty("usage", out var u2));
        if (eu)
        {
            Assert.True(JsonElement.DeepEquals(u1, u2));
        }
        Assert.Equal(Str(expected, "id"), Str(actual, "id"));
        Assert.Equal(Str(expected, "model"), Str(actual, "model"));
        Assert.Equal(expected.GetProperty("created").GetInt64(), actual.GetProperty("created").GetInt64());
        Assert.Equal(Str(expected, "system_fingerprint"), Str(actual, "system_fingerprint"));
    }

    [Fact]
    public void Assemble_ToolCallsSplitOverDeltas_AreMergedByIndex()
    {
        var body = Json(CacheReplay.Assemble(ToolCallStream, chat: true));

        Assert.Equal("chat.completion", Str(body, "object"));
        Assert.Equal("chatcmpl-A1", Str(body, "id"));
        Assert.Equal(1727000000, body.GetProperty("created").GetInt64());
        Assert.Equal("fp_abc", Str(body, "system_fingerprint"));
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal("tool_calls", Str(choice, "finish_reason"));
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", Str(message, "role"));
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        Assert.True(JsonElement.DeepEquals(
            Json("""[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\": \"Paris\"}"}},{"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{\"tz\":\"CET\"}"}}]"""),
            message.GetProperty("tool_calls")));
        Assert.True(JsonElement.DeepEquals(
            Json("""{"prompt_tokens":80,"completion_tokens":40,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":0}}"""), body.GetProperty("usage")));
    }

    [Fact]
    public void Assemble_ReasoningAndUnicode_AreConcatenatedExactly()
    {
        var message = Json(CacheReplay.Assemble(ReasoningStream, chat: true)).GetProperty("choices")[0].GetProperty("message");

        Assert.Equal("Let me think about \"été\"…", Str(message, "reasoning_content"));
        Assert.Equal("Bonjour été 😀 \"quoted\" \\ back\nline <tag> & / done", Str(message, "content"));
        Assert.False(message.TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public void Assemble_TwoChoices_AreKeptApartInIndexOrder()
    {
        var choices = Json(CacheReplay.Assemble(TwoChoiceStream, chat: true)).GetProperty("choices");

        Assert.Equal(2, choices.GetArrayLength());
        Assert.Equal(("First answer", "stop"), (Str(choices[0].GetProperty("message"), "content"), Str(choices[0], "finish_reason")));
        Assert.Equal(("Second answer", "length"), (Str(choices[1].GetProperty("message"), "content"), Str(choices[1], "finish_reason")));
        Assert.Equal(1, choices[1].GetProperty("index").GetInt32());
    }

    [Fact]
    public void Assemble_SurrogatePairSplitOverTwoChunks_JoinsUp()
    {
        var chunks = Chunks(
            ChatChunk(Delta(0, """{"role":"assistant","content":"smile \ud83d"}""")),
            ChatChunk(Delta(0, """{"content":"\ude00!"}""")),
            ChatChunk(Delta(0, "{}", "\"stop\"")));

        var message = Json(CacheReplay.Assemble(chunks, chat: true)).GetProperty("choices")[0].GetProperty("message");

        Assert.Equal("smile 😀!", Str(message, "content"));
    }

    [Fact]
    public void Assemble_NoChunks_IsAnEmptyAnswer()
    {
        var body = Json(CacheReplay.Assemble([], chat: true));

        Assert.Equal(0, body.GetProperty("choices").GetArrayLength());
        Assert.False(body.TryGetProperty("usage", out _));
    }

    [Fact]
    public void Assemble_TextCompletionStream_ConcatenatesText()
    {
        var chunks = Chunks(
            """{"id":"cmpl-1","object":"text_completion","created":5,"model":"gpt-3.5-turbo-instruct","choices":[{"text":"Once ","index":0,"logprobs":null,"finish_reason":null}]}""",
            """{"id":"cmpl-1","object":"text_completion","created":5,"model":"gpt-3.5-turbo-instruct","choices":[{"text":"upon a time","index":0,"logprobs":null,"finish_reason":null}]}""",
            """{"id":"cmpl-1","object":"text_completion","created":5,"model":"gpt-3.5-turbo-instruct","choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"length"}]}""",
            """{"id":"cmpl-1","object":"text_completion","created":5,"model":"gpt-3.5-turbo-instruct","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""");

        var body = Json(CacheReplay.Assemble(chunks, chat: false));

        Assert.Equal("text_completion", Str(body, "object"));
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal(("Once upon a time", "length"), (Str(choice, "text"), Str(choice, "finish_reason")));
        Assert.Equal(7, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void Synthesize_ChatBody_StreamsAsOpenAiDoes()
    {
        var chunks = CacheReplay.Synthesize(Encoding.UTF8.GetBytes(PlainChat), chat: true).Select(Json).ToList();

        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", Str(c, "object")));
        Assert.All(chunks, c => Assert.Equal(("chatcmpl-B2", "fp_x"), (Str(c, "id"), Str(c, "system_fingerprint"))));
        var first = chunks[0].GetProperty("choices")[0];
        Assert.Equal("""{"role":"assistant","content":""}""", first.GetProperty("delta").GetRawText());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("finish_reason").ValueKind);
        var last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.Equal(30, last.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        var finals = chunks.SkipLast(1).Select(c => c.GetProperty("choices")[0]).Where(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.String).ToList();
        Assert.Equal(["stop", "tool_calls"], finals.Select(c => c.GetProperty("finish_reason").GetString()));
        Assert.All(finals, c => Assert.Equal("{}", c.GetProperty("delta").GetRawText()));
        var toolChunks = chunks.SkipLast(1).Select(c => c.GetProperty("choices")[0]).Where(c => c.GetProperty("delta").TryGetProperty("tool_calls", out _)).ToList();
        Assert.Equal(2, toolChunks.Count);
        Assert.Equal(1, toolChunks[1].GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("index").GetInt32());
        Assert.Equal("call_10", toolChunks[1].GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void AssembleOfSynthesize_ChatBody_IsTheSameAnswer()
    {
        var chunks = CacheReplay.Synthesize(Encoding.UTF8.GetBytes(PlainChat), chat: true);

        var assembled = CacheReplay.Assemble([.. chunks], chat: true);

        AssertSameAnswer(Json(PlainChat), Json(assembled));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void SynthesizeOfAssemble_Stream_IsTheSameAnswer(string name)
    {
        var stream = name switch { "tools" => ToolCallStream, "reasoning" => ReasoningStream, _ => TwoChoiceStream };
        var assembled = CacheReplay.Assemble(stream, chat: true);

        var again = CacheReplay.Assemble([.. CacheReplay.Synthesize(assembled, chat: true)], chat: true);

        AssertSameAnswer(Json(assembled), Json(again));
    }

    public static TheoryData<string> Streams() => ["tools", "reasoning", "two-choices"];

    [Fact]
    public void Synthesize_TextCompletion_RoundTrips()
    {
        var plain = """{"id":"cmpl-2","object":"text_completion","created":9,"model":"davinci","choices":[{"text":"Hello \"world\" ✓","index":0,"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":3,"total_tokens":4}}""";

        var chunks = CacheReplay.Synthesize(Encoding.UTF8.GetBytes(plain), chat: false);

        Assert.All(chunks, c => Assert.Equal("text_completion", Str(Json(c), "object")));
        Assert.Equal(3, chunks.Count);
        AssertSameAnswer(Json(plain), Json(CacheReplay.Assemble([.. chunks], chat: false)));
    }

    [Fact]
    public void Synthesize_RefusalAndNoUsage_EndsWithTheFinalChunk()
    {
        var plain = """{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"logprobs":null,"finish_reason":"stop"}]}""";

        var chunks = CacheReplay.Synthesize(Encoding.UTF8.GetBytes(plain), chat: true);

        Assert.Equal("stop", Json(chunks[^1]).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        AssertSameAnswer(Json(plain), Json(CacheReplay.Assemble([.. chunks], chat: true)));
    }

    [Fact]
    public void IsUsageOnly_TellsTheUsageChunkApart()
    {
        Assert.True(CacheReplay.IsUsageOnly(ToolCallStream[^1]));
        Assert.False(CacheReplay.IsUsageOnly(ToolCallStream[0]));
        Assert.False(CacheReplay.IsUsageOnly("""{"choices":[{"index":0,"delta":{}}],"usage":{"total_tokens":1}}"""u8));
        Assert.False(CacheReplay.IsUsageOnly("""{"choices":[],"usage":null}"""u8));
    }

    private static async Task<(string Body, HttpResponse Response)> WriteAsync(IReadOnlyList<byte[]> chunks, bool includeUsage)
    {
        var context = new DefaultHttpContext();
        var output = new MemoryStream();
        context.Response.Body = output;
        await CacheReplay.WriteStreamAsync(context.Response, chunks, includeUsage, CancellationToken.None);
        return (Encoding.UTF8.GetString(output.ToArray()), context.Response);
    }

    [Fact]
    public async Task WriteStreamAsync_WithUsage_WritesEveryChunkAsSseThenDone()
    {
        var (body, response) = await WriteAsync(ReasoningStream, includeUsage: true);

        var expected = string.Concat(ReasoningStream.Select(c => $"data: {Encoding.UTF8.GetString(c)}\n\n")) + "data: [DONE]\n\n";
        Assert.Equal(expected, body);
        Assert.Equal("text/event-stream", response.ContentType);
        Assert.Equal("no-cache", response.Headers.CacheControl.ToString());
        Assert.Equal("no", response.Headers["X-Accel-Buffering"].ToString());
    }

    [Fact]
    public async Task WriteStreamAsync_WithoutUsage_DropsTheUsageChunk()
    {
        var (body, _) = await WriteAsync(ReasoningStream, includeUsage: false);

        var expected = string.Concat(ReasoningStream.SkipLast(1).Select(c => $"data: {Encoding.UTF8.GetString(c)}\n\n")) + "data: [DONE]\n\n";
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task WriteStreamAsync_SynthesizedFromPlain_ParsesBackToTheAnswer()
    {
        var (body, _) = await WriteAsync(CacheReplay.Synthesize(Encoding.UTF8.GetBytes(PlainChat), chat: true), includeUsage: true);

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(Encoding.UTF8.GetBytes).ToImmutableArray();
        AssertSameAnswer(Json(PlainChat), Json(CacheReplay.Assemble(chunks, chat: true)));
    }
}
