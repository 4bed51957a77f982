using ProviderKinds = HotDash.Hosting.Configuration.Providers;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HotDash.Api.Gateway;
using HotDash.Hosting.Configuration;

namespace HotDash.Api.Providers;

/// <summary>
/// Any OpenAI-compatible upstream (OpenAI, vLLM, Ollama's /v1, Groq, ...): the client's body is
/// forwarded as it came (model name swapped), the answer streamed or passed through untouched.
/// </summary>
internal sealed class OpenAiAdapter(UpstreamHttp http, HotDashConfig config) : IProviderAdapter
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private const int MaxErrorBody = 64 * 1024;

    private readonly FrozenDictionary<string, Endpoint> endpoints = config.ModelList
        .Where(d => d.ApiBase is not null && ProviderKinds.AdapterFor(d.Provider) == ProviderKinds.OpenAI)
        .ToFrozenDictionary(d => d.Id, d => new Endpoint(d));

    private readonly long maxResponseBytes = (long)(config.GeneralSettings.MaxResponseSizeMb * 1024 * 1024);

    public async ValueTask<UpstreamResult> SendAsync(GatewayCall call, TimeSpan timeout)
    {
        var endpoint = endpoints[call.Deployment.Id];
        using var rewritten = BodyRewriter.Rewrite(call.Body.Span, call.Info, call.Deployment.UpstreamModel, endpoint.UpstreamModelJson);
        var content = new ReadOnlyMemoryContent((rewritten ?? call.Body).Memory);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.UriFor(call.Kind))
        {
            Content = content,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        if (endpoint.Authorization is { } auth)
        {
            request.Headers.Authorization = auth;
        }
        if (endpoint.Organization is { } org)
        {
            request.Headers.TryAddWithoutValidation("OpenAI-Organization", org);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(call.Aborted);
        cts.CancelAfter(timeout);
        var upstreamStart = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await http.Invoker.SendAsync(request, cts.Token);
        }
        catch (OperationCanceledException) when (call.Aborted.IsCancellationRequested)
        {
            return UpstreamResult.Gone;
        }
        catch (OperationCanceledException)
        {
            return UpstreamResult.Failed(408, $"The upstream {Describe(call)} did not answer within {timeout.TotalSeconds:0.###} s (timeout).", OpenAiError.Timeout, retryable: true);
        }
        catch (HttpRequestException e)
        {
            return UpstreamResult.Failed(502, $"Could not reach the upstream {Describe(call)}: {e.Message}", OpenAiError.Connection, retryable: true);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 400)
            {
                call.UpstreamTicks = Stopwatch.GetElapsedTime(upstreamStart).Ticks;
                return await ReadErrorAsync(call, response, status, cts.Token);
            }

            var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (call.Info.Stream && string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
            {
                call.UpstreamTicks = Stopwatch.GetElapsedTime(upstreamStart).Ticks;
                call.SetSuccessHeaders("text/event-stream");
                SseWriter.PrepareResponse(call.Context);
                call.Context.Response.StatusCode = status;
                await call.Context.Response.StartAsync(call.Aborted);
                var (usage, completed, error) = await SseRelay.RelayAsync(stream, call.Context.Response.BodyWriter, timeout, call.Aborted, call.TextMeter, call.Trace, call.Cache);
                if (call.Aborted.IsCancellationRequested)
                {
                    return UpstreamResult.Gone;
                }
                return completed ? UpstreamResult.Written(status, usage) : new UpstreamResult(true, 502, false, error, OpenAiError.Upstream, usage);
            }

            // Not streamed: small enough to hold, and the usage must be read before the headers go out.
            PooledBody body;
            bool within;
            try
            {
                (body, within) = await PooledBody.ReadAsync(stream, response.Content.Headers.ContentLength, maxResponseBytes, cts.Token);
            }
            catch (OperationCanceledException) when (call.Aborted.IsCancellationRequested)
            {
                return UpstreamResult.Gone;
            }
            catch (OperationCanceledException)
            {
                return UpstreamResult.Failed(408, $"The upstream {Describe(call)} did not finish its answer within {timeout.TotalSeconds:0.###} s (timeout).", OpenAiError.Timeout, retryable: true);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                return UpstreamResult.Failed(502, $"The upstream {Describe(call)} broke off its answer: {e.Message}", OpenAiError.Connection, retryable: true);
            }
            using (body)
            {
                call.UpstreamTicks = Stopwatch.GetElapsedTime(upstreamStart).Ticks;
                if (!within)
                {
                    return UpstreamResult.Failed(502, $"The upstream's answer is larger than general_settings.max_response_size_mb ({config.GeneralSettings.MaxResponseSizeMb} MB).", OpenAiError.Upstream, retryable: false);
                }
                var usage = UsageScanner.Scan(body.Span);
                call.SetSuccessHeaders(response.Content.Headers.ContentType?.ToString() ?? "application/json", usage);
                call.Context.Response.StatusCode = status;
                call.Context.Response.ContentLength = body.Length;
                await call.Context.Response.Body.WriteAsync(body.Memory, call.Aborted);
                call.Trace?.SetResponse(body.Span); // a copy, after the client has it; the trace reads it later
                call.Cache?.SetBody(body.Span);
                return UpstreamResult.Written(status, usage);
            }
        }
    }

    private static async ValueTask<UpstreamResult> ReadErrorAsync(GatewayCall call, HttpResponseMessage response, int status, CancellationToken ct)
    {
        string text;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(ct);
            var (body, _) = await PooledBody.ReadAsync(stream, response.Content.Headers.ContentLength, MaxErrorBody, ct);
            using (body)
            {
                text = Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, MaxErrorBody)]);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            text = "";
        }
        var (message, type) = ParseError(text);
        message = $"Upstream {Describe(call)} answered {status}: {message ?? (text.Length > 0 ? text : response.ReasonPhrase ?? "no message")}";
        var retryable = status is 429 or 408 or >= 500;
        return UpstreamResult.Failed(status, message, type ?? OpenAiError.TypeForStatus(status), retryable);
    }

    private static (string? Message, string? Type) ParseError(string text)
    {
        if (text.Length == 0 || text[0] != '{')
        {
            return (null, null);
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var error = root.TryGetProperty("error", out var e) ? e : root;
            if (error.ValueKind == JsonValueKind.String)
            {
                return (error.GetString(), null);
            }
            if (error.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var type = error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return (message, type);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string Describe(GatewayCall call) => $"{call.Deployment.Model} ({call.Deployment.ApiBase})";

    private sealed class Endpoint(ModelDeployment d)
    {
        private readonly Uri chat = new(d.ApiBase + "/chat/completions");
        private readonly Uri completions = new(d.ApiBase + "/completions");
        private readonly Uri embeddings = new(d.ApiBase + "/embeddings");

        public AuthenticationHeaderValue? Authorization { get; } = string.IsNullOrEmpty(d.ApiKey) ? null : new("Bearer", d.ApiKey);

        public string? Organization { get; } = d.LiteLlmParams.GetValueOrDefault("organization") as string;

        public byte[] UpstreamModelJson { get; } = BodyRewriter.JsonString(d.UpstreamModel);

        public Uri UriFor(EndpointKind kind) => kind switch
        {
            EndpointKind.ChatCompletions => chat,
            EndpointKind.Completions => completions,
            _ => embeddings,
        };
    }
}
