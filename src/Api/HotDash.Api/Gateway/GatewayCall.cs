using System.Diagnostics;
using HotDash.Api.Quotas;
using HotDash.Api.Tracing;
using HotDash.Grains;
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

    /// <summary>When the request arrived (wall clock), for the spend ledger.</summary>
    public DateTimeOffset StartTime { get; init; }

    /// <summary>The model group routed: the requested name, or what a virtual key's <c>aliases</c> made of it.</summary>
    public required string ModelGroup { get; init; }

    /// <summary>SHA-256 of the virtual key the request was admitted with; empty for the master key or an open gateway.</summary>
    public string KeyHash { get; init; } = "";

    /// <summary>The virtual key's admission (its quota subjects, team, user and header values); null when unlimited.</summary>
    public KeyAdmissionDecision? Admission { get; init; }

    /// <summary>The reservation's estimate (virtual keys only).</summary>
    public QuotaEstimate Estimate { get; init; }

    /// <summary>Measures a virtual key's stream when it will carry no usage chunk; null otherwise.</summary>
    public CompletionTextMeter? TextMeter { get; init; }

    /// <summary>What the call's trace needs from its answer; null when tracing is off.</summary>
    public TraceCapture? Trace { get; init; }

    /// <summary>The cache's copy of the answer the adapters feed (a cacheable call going upstream); null otherwise.</summary>
    public Caching.CacheFeed? Cache { get; set; }

    /// <summary>Set when the call completes: the answer went out whole (the usage settled and charged).</summary>
    public bool Succeeded { get; set; }

    /// <summary>Set when the call completes: the usage settled (reported, or measured for a stream without it).</summary>
    public TokenUsage Usage { get; set; }

    /// <summary>Set when the call completes: what the usage cost (0 unless it succeeded).</summary>
    public decimal Cost { get; set; }

    /// <summary>Answered from the cache (exact, semantic or coalesced): no upstream call, no tokens, no cost.</summary>
    public bool CacheHit { get; set; }

    /// <summary>For a cache hit, what the original call cost (USD): what the hit saved.</summary>
    public decimal CacheSavedCost { get; set; }

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
        if (Admission?.Quota is { } quota)
        {
            QuotaHeaders.Write(headers, quota, KeyHash);
        }
    }

    private static string Ms(double ms) => ms.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
