using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using HotDash.Api.Gateway;
using HotDash.Api.Providers;
using HotDash.Hosting.Configuration;
using ProviderKinds = HotDash.Hosting.Configuration.Providers;

namespace HotDash.Api.Caching.Semantic;

/// <summary>
/// The semantic cache's prompt embedder: decides whether a chat or text completion may be served from the semantic
/// cache (<see cref="PromptText"/>), and embeds its text with the configured embedding model group
/// (<c>cache_params.redis_semantic_cache_embedding_model</c>, a <c>model_list</c> group): <c>POST {api_base}/embeddings</c>
/// through the gateway's upstream HTTP client with the deployment's <c>api_key</c> and model, or the built-in mock
/// provider's deterministic embedding. It never fails a request: anything that goes wrong gives null, and the request
/// then skips the semantic cache.
/// </summary>
internal sealed class PromptEmbedder(
    HotDashConfig config,
    ModelCatalog catalog,
    DeploymentRouter router,
    UpstreamHttp http,
    ILogger<PromptEmbedder> logger)
{
    /// <summary>The longest an embedding call may take (less when the deployment's <c>timeout</c> is shorter): it delays the request.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Deployments of the group tried before giving up (each failure moves to another one).</summary>
    public const int MaxAttempts = 2;

    // Embedding answers are small (1536 floats are ~8 KB base64, ~30 KB as JSON numbers); anything far larger is wrong.
    private const int MaxResponseBytes = 4 << 20;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>
    /// Embeds the prompt of a chat (<see cref="EndpointKind.ChatCompletions"/>) or text completion
    /// (<see cref="EndpointKind.Completions"/>) request body with <c>cache_params.redis_semantic_cache_embedding_model</c>.
    /// Null when the request is not eligible (see <see cref="PromptText"/>), no embedding model is configured, or
    /// embedding failed.
    /// </summary>
    /// <param name="body">The request body as the client sent it.</param>
    /// <param name="kind">Which endpoint it came to.</param>
    /// <param name="allowMultiTurn"><c>hotdash.cache.semantic_multi_turn</c>: conversations are eligible too.</param>
    /// <param name="cancellationToken">The client's request aborted.</param>
    public ValueTask<float[]?> EmbedAsync(ReadOnlyMemory<byte> body, EndpointKind kind, bool allowMultiTurn, CancellationToken cancellationToken)
    {
        var group = config.Cache.EmbeddingModel;
        if (string.IsNullOrEmpty(group) || PromptText(body.Span, kind, allowMultiTurn) is not { } text)
        {
            return ValueTask.FromResult<float[]?>(null);
        }
        return EmbedTextAsync(text, group, cancellationToken);
    }

    /// <summary>
    /// The embedding of <paramref name="text"/> by a deployment of <paramref name="embeddingModelGroup"/> (the router's
    /// choice, skipping deployments in cooldown; on failure one more is tried), or null when none answered with one.
    /// </summary>
    public async ValueTask<float[]?> EmbedTextAsync(string text, string embeddingModelGroup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!catalog.TryGetGroup(embeddingModelGroup, out var group))
        {
            PromptEmbedderLog.UnknownGroup(logger, embeddingModelGroup);
            return null;
        }
        var tried = new List<string>(MaxAttempts);
        while (tried.Count < MaxAttempts && router.Choose(group, CollectionsMarshal.AsSpan(tried)) is { } deployment)
        {
            tried.Add(deployment.Id);
            var adapter = ProviderKinds.AdapterFor(deployment.Provider);
            if (adapter == ProviderKinds.Mock)
            {
                return MockEmbedding.Embed(text, deployment.EmbeddingDimensions);
            }
            if (adapter != ProviderKinds.OpenAI || deployment.ApiBase is null)
            {
                PromptEmbedderLog.CannotEmbed(logger, embeddingModelGroup, deployment.Provider);
                continue;
            }
            var (vector, error) = await CallAsync(deployment, text, cancellationToken);
            if (vector is not null)
            {
                return vector;
            }
            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            PromptEmbedderLog.EmbedFailed(logger, deployment.Model, embeddingModelGroup, error ?? "no embedding in the answer");
        }
        return null;
    }

    /// <summary>
    /// The text the semantic cache embeds for a request, or null when the request may not be served from it:
    /// <list type="bullet">
    /// <item>chat: exactly one <c>user</c> message, optionally preceded by one <c>system</c> (or <c>developer</c>)
    /// message; with <paramref name="allowMultiTurn"/>, any conversation of system, developer, user and assistant
    /// messages that ends with a user message. The text is the messages' contents joined by a blank line; a content
    /// given as parts must be all <c>text</c> parts (concatenated): an image, audio or file would make two prompts with
    /// the same words different, so such requests are never served semantically. Assistant tool calls and tool
    /// messages are not eligible either.</item>
    /// <item>text completion: a single prompt string (or an array of exactly one string); token-array prompts, several
    /// prompts, <c>suffix</c>, <c>echo</c> and <c>best_of</c> are not eligible.</item>
    /// <item>either: a request whose answer's shape depends on more than the text (<c>tools</c>, <c>functions</c>, a
    /// <c>response_format</c> other than text, <c>n</c> &gt; 1, <c>logprobs</c>, <c>audio</c>, <c>modalities</c>,
    /// <c>prediction</c>) is not eligible, and neither is one whose text is blank or whose body is not valid JSON.</item>
    /// </list>
    /// </summary>
    public static string? PromptText(ReadOnlySpan<byte> body, EndpointKind kind, bool allowMultiTurn)
    {
        if (kind == EndpointKind.Embeddings)
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = RequestInspector.MaxDepth });
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !PlainTextAnswer(root))
            {
                return null;
            }
            var text = kind == EndpointKind.ChatCompletions ? ChatText(root, allowMultiTurn) : CompletionText(root);
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>data[0].embedding</c> of an OpenAI embeddings answer, as a float array or base64 of little-endian floats;
    /// null when it has none, or it is empty or not finite.
    /// </summary>
    public static float[]? ParseEmbedding(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0
                || data[0].ValueKind != JsonValueKind.Object || !data[0].TryGetProperty("embedding", out var embedding))
            {
                return null;
            }
            float[] vector;
            switch (embedding.ValueKind)
            {
                case JsonValueKind.Array:
                    vector = new float[embedding.GetArrayLength()];
                    var i = 0;
                    foreach (var x in embedding.EnumerateArray())
                    {
                        if (x.ValueKind != JsonValueKind.Number)
                        {
                            return null;
                        }
                        vector[i++] = x.GetSingle();
                    }
                    break;
                case JsonValueKind.String:
                    var bytes = embedding.GetBytesFromBase64();
                    if (bytes.Length % sizeof(float) != 0)
                    {
                        return null;
                    }
                    vector = new float[bytes.Length / sizeof(float)];
                    if (BitConverter.IsLittleEndian)
                    {
                        bytes.CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
                    }
                    else
                    {
                        for (var k = 0; k < vector.Length; k++)
                        {
                            vector[k] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(k * sizeof(float)));
                        }
                    }
                    break;
                default:
                    return null;
            }
            if (vector.Length == 0 || !Array.TrueForAll(vector, float.IsFinite))
            {
                return null;
            }
            return vector;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private async ValueTask<(float[]? Vector, string? Error)> CallAsync(ModelDeployment deployment, string text, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(256 + text.Length * 2);
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("model", deployment.UpstreamModel);
            w.WriteString("input", text);
            // What the OpenAI SDKs ask for by default (so every compatible server knows it): a quarter of the bytes
            // of JSON numbers, and no float parsing. A server that ignores it answers numbers, which parse too.
            w.WriteString("encoding_format", "base64");
            w.WriteEndObject();
        }
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, deployment.ApiBase + "/embeddings")
        {
            Content = content,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        if (!string.IsNullOrEmpty(deployment.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", deployment.ApiKey);
        }
        if (deployment.LiteLlmParams.GetValueOrDefault("organization") is string org)
        {
            request.Headers.TryAddWithoutValidation("OpenAI-Organization", org);
        }
        var timeout = deployment.TimeoutSeconds is { } s && s > 0 && s < DefaultTimeout.TotalSeconds ? TimeSpan.FromSeconds(s) : DefaultTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await http.Invoker.SendAsync(request, cts.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"the upstream answered {(int)response.StatusCode}");
            }
            var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            var (answer, within) = await PooledBody.ReadAsync(stream, response.Content.Headers.ContentLength, MaxResponseBytes, cts.Token);
            using (answer)
            {
                if (!within)
                {
                    return (null, $"the answer is larger than {MaxResponseBytes >> 20} MB");
                }
                var vector = ParseEmbedding(answer.Span);
                return vector is null ? (null, "the answer has no usable data[0].embedding") : (vector, null);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (OperationCanceledException)
        {
            return (null, "the client left");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (null, e.Message);
        }
    }

    // Requests whose answer is not a plain text reply to the words: a cached reply to similar words would be wrong.
    private static bool PlainTextAnswer(JsonElement root)
    {
        foreach (var name in (ReadOnlySpan<string>)["tools", "functions", "audio", "modalities", "prediction"])
        {
            if (root.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
                && !(v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0))
            {
                return false;
            }
        }
        if (root.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object
            && !(format.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("text")))
        {
            return false;
        }
        if (root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && !(n.TryGetInt32(out var count) && count == 1))
        {
            return false;
        }
        if (root.TryGetProperty("logprobs", out var lp) && (lp.ValueKind == JsonValueKind.True || lp.ValueKind == JsonValueKind.Number))
        {
            return false;
        }
        return true;
    }

    private static string? ChatText(JsonElement root, bool allowMultiTurn)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var count = messages.GetArrayLength();
        if (count == 0 || (!allowMultiTurn && count > 2))
        {
            return null;
        }
        var text = new StringBuilder();
        var i = 0;
        string? last = null;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var r) || r.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            var role = r.GetString();
            var system = role is "system" or "developer";
            var allowed = allowMultiTurn
                ? system || role == "user" || (role == "assistant" && !message.TryGetProperty("tool_calls", out _) && !message.TryGetProperty("function_call", out _))
                : (system && i == 0 && count == 2) || (role == "user" && i == count - 1);
            if (!allowed || ContentText(message) is not { } content)
            {
                return null;
            }
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }
            text.Append(content);
            last = role;
            i++;
        }
        return last == "user" ? text.ToString() : null;
    }

    private static string? CompletionText(JsonElement root)
    {
        foreach (var name in (ReadOnlySpan<string>)["suffix", "best_of"])
        {
            if (root.TryGetProperty(name, out var v) && v.ValueKind is not JsonValueKind.Null)
            {
                return null;
            }
        }
        if (root.TryGetProperty("echo", out var echo) && echo.ValueKind == JsonValueKind.True)
        {
            return null;
        }
        if (!root.TryGetProperty("prompt", out var prompt))
        {
            return null;
        }
        if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1)
        {
            prompt = prompt[0];
        }
        return prompt.ValueKind == JsonValueKind.String ? prompt.GetString() : null;
    }

    // A message's text: a string, or text parts concatenated; null when it has a part of another kind.
    private static string? ContentText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return "";
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object
                || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !type.ValueEquals("text")
                || !part.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            text.Append(t.GetString());
        }
        return text.ToString();
    }
}
