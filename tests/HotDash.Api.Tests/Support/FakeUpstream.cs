using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HotDash.Api.Tests.Support;

/// <summary>
/// An OpenAI-compatible upstream on 127.0.0.1 speaking the real wire format (JSON bodies, SSE streams
/// with <c>stream_options.include_usage</c>, float and base64 embeddings). What it does is chosen by the
/// upstream model name the gateway sends, so every deployment of a test config is one behaviour:
/// <list type="bullet">
/// <item><c>error-STATUS[-anything]</c>: answers STATUS with an OpenAI error body.</item>
/// <item><c>slow-MS[-anything]</c>: waits MS milliseconds before answering.</item>
/// <item><c>break-after-2</c>: streams two chunks, then drops the connection.</item>
/// <item><c>slow-stream</c>: streams a chunk every 100 ms for up to 30 s.</item>
/// <item><c>crlf-*</c>: streams with <c>\r\n</c> line endings, comment lines and <c>event:</c>/<c>id:</c> fields.</item>
/// <item><c>nodone-*</c>: streams without the final <c>[DONE]</c>.</item>
/// <item>anything else: a normal answer.</item>
/// </list>
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    public const string Reply = "Hello from the fake upstream.";
    public static readonly string[] StreamPieces = ["Hello", " from", " the", " fake", " upstream."];
    public const int PromptTokens = 11;
    public const int EmbeddingDimensions = 8;

    /// <summary>The key <see cref="LastFor"/> files a request under when its body was not valid JSON.</summary>
    public const string UnparseableBody = "(unparseable body)";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, RecordedRequest> lastByModel = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> all = new();
    private readonly ConcurrentDictionary<string, int> countByModel = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> abortedByModel = new(StringComparer.Ordinal);

    private FakeUpstream(WebApplication app) => this.app = app;

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>What a deployment's <c>api_base</c> should be.</summary>
    public string ApiBase => BaseUrl + "/v1";

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeUpstream(app);
        app.MapPost("/v1/chat/completions", ctx => fake.HandleAsync(ctx, Endpoint.Chat));
        app.MapPost("/v1/completions", ctx => fake.HandleAsync(ctx, Endpoint.Completions));
        app.MapPost("/v1/embeddings", ctx => fake.HandleAsync(ctx, Endpoint.Embeddings));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await app.StartAsync(cts.Token);
        fake.BaseUrl = app.Urls.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return fake;
    }

    /// <summary>The last request that named this upstream model, or null.</summary>
    public RecordedRequest? LastFor(string upstreamModel) => lastByModel.GetValueOrDefault(upstreamModel);

    public int CountFor(string upstreamModel) => countByModel.GetValueOrDefault(upstreamModel);

    /// <summary>Every request that named this upstream model, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> RequestsFor(string upstreamModel) => [.. all.Where(r => r.Model == upstreamModel)];

    /// <summary>Completes when a request for this upstream model is aborted by the caller (the gateway).</summary>
    public Task AbortedFor(string upstreamModel) => AbortSignal(upstreamModel).Task;

    private TaskCompletionSource AbortSignal(string model) =>
        abortedByModel.GetOrAdd(model, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private enum Endpoint
    {
        Chat,
        Completions,
        Embeddings,
    }

    private async Task HandleAsync(HttpContext ctx, Endpoint endpoint)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        var body = buffer.ToArray();
        var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            // What OpenAI answers to a body it cannot parse.
            lastByModel[UnparseableBody] = new RecordedRequest(ctx.Request.Path, UnparseableBody, headers, body);
            ctx.Response.StatusCode = 400;
            await WriteJsonAsync(ctx, """{"error":{"message":"We could not parse the JSON body of your request.","type":"invalid_request_error","param":null,"code":null}}""");
            return;
        }
        using var _ = doc;
        var root = doc.RootElement;
        var model = root.GetProperty("model").GetString()!;
        var recorded = new RecordedRequest(ctx.Request.Path, model, headers, body);
        lastByModel[model] = recorded;
        all.Enqueue(recorded);
        var nth = countByModel.AddOrUpdate(model, 1, (_, n) => n + 1);
        var aborted = AbortSignal(model);
        using var registration = ctx.RequestAborted.Register(() => aborted.TrySetResult());

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var includeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;

        try
        {
            if (model.StartsWith("error-", StringComparison.Ordinal))
            {
                await WriteErrorAsync(ctx, int.Parse(model.Split('-')[1], CultureInfo.InvariantCulture));
                return;
            }
            if (model.StartsWith("flaky-", StringComparison.Ordinal))
            {
                // flaky-{ms}-...: every call takes {ms}; the model's first call fails with 400, later ones answer.
                await Task.Delay(int.Parse(model.Split('-')[1], CultureInfo.InvariantCulture), ctx.RequestAborted);
                if (nth == 1)
                {
                    await WriteErrorAsync(ctx, 400);
                    return;
                }
            }
            if (model.StartsWith("slow-", StringComparison.Ordinal) && model != "slow-stream")
            {
                await Task.Delay(int.Parse(model.Split('-')[1], CultureInfo.InvariantCulture), ctx.RequestAborted);
            }
            switch (endpoint)
            {
                case Endpoint.Embeddings:
                    await WriteEmbeddingsAsync(ctx, root, model);
                    break;
                case Endpoint.Chat when stream:
                    await StreamChatAsync(ctx, model, includeUsage);
                    break;
                case Endpoint.Chat:
                    await WriteJsonAsync(ctx, ChatCompletion(model));
                    break;
                case Endpoint.Completions when stream:
                    await StreamCompletionAsync(ctx, model);
                    break;
                default:
                    await WriteJsonAsync(ctx, TextCompletion(model));
                    break;
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The gateway gave up on us: that is what the abort signal records.
        }
        catch (IOException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private static Task WriteErrorAsync(HttpContext ctx, int status)
    {
        var type = status switch
        {
            429 => "rate_limit_error",
            400 => "invalid_request_error",
            _ => "server_error",
        };
        ctx.Response.StatusCode = status;
        return WriteJsonAsync(ctx, $$$"""{"error":{"message":"fake upstream error {{{status}}}","type":"{{{type}}}","param":null,"code":"fake_{{{status}}}"}}""");
    }

    private static async Task WriteJsonAsync(HttpContext ctx, string json)
    {
        ctx.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    private static string ChatCompletion(string model) =>
        $$$"""{"id":"chatcmpl-fake1","object":"chat.completion","created":1700000000,"model":"{{{model}}}","system_fingerprint":"fp_fake","choices":[{"index":0,"message":{"role":"assistant","content":"{{{Reply}}}","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{PromptTokens}}},"completion_tokens":{{{StreamPieces.Length}}},"total_tokens":{{{PromptTokens + StreamPieces.Length}}}}}""";

    private static string TextCompletion(string model) =>
        $$$"""{"id":"cmpl-fake1","object":"text_completion","created":1700000000,"model":"{{{model}}}","choices":[{"text":"{{{Reply}}}","index":0,"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{PromptTokens}}},"completion_tokens":{{{StreamPieces.Length}}},"total_tokens":{{{PromptTokens + StreamPieces.Length}}}}}""";

    private static string ChatChunk(string model, string delta, string? finish, bool includeUsage) =>
        $$$"""{"id":"chatcmpl-fake1","object":"chat.completion.chunk","created":1700000000,"model":"{{{model}}}","system_fingerprint":"fp_fake","choices":[{"index":0,"delta":{{{delta}}},"logprobs":null,"finish_reason":{{{(finish is null ? "null" : "\"" + finish + "\"")}}}}]{{{(includeUsage ? ",\"usage\":null" : "")}}}}""";

    private static string UsageChunk(string model) =>
        $$$"""{"id":"chatcmpl-fake1","object":"chat.completion.chunk","created":1700000000,"model":"{{{model}}}","system_fingerprint":"fp_fake","choices":[],"usage":{"prompt_tokens":{{{PromptTokens}}},"completion_tokens":{{{StreamPieces.Length}}},"total_tokens":{{{PromptTokens + StreamPieces.Length}}}}}""";

    /// <summary>The chunks a streamed chat answer consists of, in order, without the [DONE] sentinel.</summary>
    public static IReadOnlyList<string> ChatStreamEvents(string model, bool includeUsage)
    {
        var events = new List<string> { ChatChunk(model, """{"role":"assistant","content":""}""", null, includeUsage) };
        events.AddRange(StreamPieces.Select(p => ChatChunk(model, $$$"""{"content":"{{{p}}}"}""", null, includeUsage)));
        events.Add(ChatChunk(model, "{}", "stop", includeUsage));
        if (includeUsage)
        {
            events.Add(UsageChunk(model));
        }
        return events;
    }

    private static void PrepareStream(HttpContext ctx)
    {
        ctx.Response.ContentType = "text/event-stream; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-cache";
    }

    private static async Task SendAsync(HttpContext ctx, string text)
    {
        await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }

    private static async Task StreamChatAsync(HttpContext ctx, string model, bool includeUsage)
    {
        PrepareStream(ctx);
        await ctx.Response.StartAsync(ctx.RequestAborted);
        var events = ChatStreamEvents(model, includeUsage);

        if (model == "break-after-2")
        {
            await SendAsync(ctx, $"data: {events[0]}\n\n");
            await SendAsync(ctx, $"data: {events[1]}\n\n");
            await Task.Delay(50, ctx.RequestAborted);
            ctx.Abort(); // the connection drops mid-stream, as a crashed upstream's would
            return;
        }
        if (model == "slow-stream")
        {
            await SendAsync(ctx, $"data: {events[0]}\n\n");
            var until = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < until)
            {
                await Task.Delay(100, ctx.RequestAborted);
                await SendAsync(ctx, $"data: {ChatChunk(model, """{"content":" more"}""", null, includeUsage)}\n\n");
            }
            await SendAsync(ctx, "data: [DONE]\n\n");
            return;
        }
        if (model.StartsWith("crlf-", StringComparison.Ordinal))
        {
            // Legal SSE that OpenAI itself never sends: CRLF endings, comments, other fields, no space after "data:".
            await SendAsync(ctx, ": keep-alive\r\n\r\n");
            for (var i = 0; i < events.Count; i++)
            {
                await SendAsync(ctx, $"event: message\r\nid: {i}\r\ndata:{events[i]}\r\n\r\n");
                if (i == 1)
                {
                    await SendAsync(ctx, ": still here\r\n\r\n");
                }
            }
            await SendAsync(ctx, "data: [DONE]\r\n\r\n");
            return;
        }
        foreach (var e in events)
        {
            await SendAsync(ctx, $"data: {e}\n\n");
        }
        if (!model.StartsWith("nodone-", StringComparison.Ordinal))
        {
            await SendAsync(ctx, "data: [DONE]\n\n");
        }
    }

    private static async Task StreamCompletionAsync(HttpContext ctx, string model)
    {
        PrepareStream(ctx);
        await ctx.Response.StartAsync(ctx.RequestAborted);
        for (var i = 0; i < StreamPieces.Length; i++)
        {
            var finish = i == StreamPieces.Length - 1 ? "\"stop\"" : "null";
            await SendAsync(ctx, $$$"""data: {"id":"cmpl-fake1","object":"text_completion","created":1700000000,"model":"{{{model}}}","choices":[{"text":"{{{StreamPieces[i]}}}","index":0,"logprobs":null,"finish_reason":{{{finish}}}}]}""" + "\n\n");
        }
        await SendAsync(ctx, "data: [DONE]\n\n");
    }

    /// <summary>The vector the fake returns for input number <paramref name="index"/>.</summary>
    public static float[] Vector(int index) =>
        [.. Enumerable.Range(0, EmbeddingDimensions).Select(i => (index + 1) * 0.125f - i * 0.0625f)];

    private static Task WriteEmbeddingsAsync(HttpContext ctx, JsonElement root, string model)
    {
        var input = root.GetProperty("input");
        var count = input.ValueKind == JsonValueKind.Array ? input.GetArrayLength() : 1;
        var base64 = root.TryGetProperty("encoding_format", out var ef) && ef.GetString() == "base64";
        var data = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var v = Vector(i);
            var embedding = base64
                ? "\"" + Convert.ToBase64String(MemoryMarshal.AsBytes(v.AsSpan())) + "\""
                : "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";
            data.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$$"""{"object":"embedding","index":{{{i}}},"embedding":{{{embedding}}}}""");
        }
        return WriteJsonAsync(ctx, $$$"""{"object":"list","data":[{{{data}}}],"model":"{{{model}}}","usage":{"prompt_tokens":{{{count * 3}}},"total_tokens":{{{count * 3}}}}}""");
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await app.DisposeAsync();
    }
}
