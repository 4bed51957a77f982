using System.Diagnostics;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;

namespace HotDash.Api.Gateway;

/// <summary>One client request on its way through the gateway.</summary>
internal sealed class GatewayCall(HttpContext context, EndpointKind kind, PooledBody body, RequestInfo info, string callId, long startTimestamp)
{
    public HttpContext Context { get; } = context;
    public EndpointKind Kind { get; } = kind;
    public PooledBody Body { get; } = body;
    public RequestInfo Info { get; } = info;
    public string CallId { get; } = callId;
    public long StartTimestamp { get; } = startTimestamp;
    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>The deployment of the current attempt.</summary>
    public ModelDeployment Deployment { get; set; } = null!;

    /// <summary>What the current deployment charges per token.</summary>
    public ModelPrice Price { get; set; } = PriceTable.Free;

    /// <summary>Time spent waiting on the upstream, for the overhead header.</summary>
    public long UpstreamTicks { get; set; }

    /// <summary>
    /// Sets the LiteLLM success headers; call just before the response starts. With the usage known (not
    /// streamed), <c>x-litellm-response-cost</c> too.
    /// </summary>
    public void SetSuccessHeaders(string contentType, TokenUsage? usage = null)
    {
        var response = Context.Response;
        var headers = response.Headers;
        response.ContentType = contentType;
        headers[GatewayHeaders.ModelId] = Deployment.Id;
        headers[GatewayHeaders.ModelGroup] = Deployment.ModelName;
        if (Deployment.ApiBase is { } apiBase)
        {
            headers[GatewayHeaders.ModelApiBase] = apiBase;
        }
        var total = Stopwatch.GetElapsedTime(StartTimestamp);
        var upstream = TimeSpan.FromTicks(Math.Min(UpstreamTicks, total.Ticks));
        headers[GatewayHeaders.ResponseDuration] = Ms(total.TotalMilliseconds);
        headers[GatewayHeaders.OverheadDuration] = Ms((total - upstream).TotalMilliseconds);
        if (usage is { } u)
        {
            headers[GatewayHeaders.ResponseCost] = Price.Cost(u.PromptTokens, u.CompletionTokens, u.CachedPromptTokens)
                .ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static string Ms(double ms) => ms.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
