using System.Collections.Immutable;
using HotDash.Api.Gateway;
using HotDash.Api.Providers;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Orleans;

namespace HotDash.Api.Quotas;

/// <summary>
/// The gateway's side of virtual keys and quotas: the reservation's estimate, the one admission call before the
/// upstream call (<see cref="IAdmissionGrain.AdmitKey"/>), and the one-way settlement or release after it. A
/// cluster that does not answer refuses the request (the caller answers 503): a key is never let through unchecked.
/// </summary>
internal sealed class QuotaGate(
    IClusterClient cluster,
    ClusterConnection connection,
    HotDashConfig config,
    TokenCounter tokens,
    TimeProvider time,
    ILogger<QuotaGate> logger)
{
    private readonly TokenRateLimitMode mode = config.GeneralSettings.TokenRateLimitType switch
    {
        "input" => TokenRateLimitMode.Input,
        "output" => TokenRateLimitMode.Output,
        _ => TokenRateLimitMode.Total,
    };

    private int unavailable; // 1 while admission calls fail: the outage and the recovery are logged once each

    /// <summary>The reservation's tokens and cost for a request to a group with these traits.</summary>
    public QuotaEstimate Estimate(ReadOnlySpan<byte> body, RequestInfo info, EndpointKind kind, ModelGroupTraits traits)
    {
        var prompt = PromptTokenEstimator.Count(body, kind, tokens);
        var max = kind == EndpointKind.Embeddings ? 0 : info.MaxTokens ?? 0;
        var price = traits.EstimatePrice;
        return new QuotaEstimate(prompt, max, TokensOf(prompt, max), prompt * price.InputCostPerToken + max * price.OutputCostPerToken);
    }

    /// <summary>Tokens as <c>token_rate_limit_type</c> counts them.</summary>
    public long TokensOf(long promptTokens, long completionTokens) => mode switch
    {
        TokenRateLimitMode.Input => promptTokens,
        TokenRateLimitMode.Output => completionTokens,
        _ => promptTokens + completionTokens,
    };

    /// <summary>Admits a virtual key's request; <see langword="null"/> when the cluster did not answer.</summary>
    public async Task<KeyAdmissionDecision?> AdmitAsync(KeyAdmissionRequest request)
    {
        if (connection.ConnectedGateways == 0)
        {
            // A call now would only wait for a connection that is not there.
            Unavailable("not connected to any silo gateway");
            return null;
        }
        try
        {
            var decision = await cluster.GetGrain<IAdmissionGrain>(IAdmissionGrain.DefaultKey).AdmitKey(request);
            if (Volatile.Read(ref unavailable) == 1 && Interlocked.Exchange(ref unavailable, 0) == 1)
            {
                QuotaLog.AdmissionRestored(logger);
            }
            return decision;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Unavailable(e.Message);
            return null;
        }
    }

    /// <summary>Settles an admitted request's real usage, one-way: nothing waits for it.</summary>
    public void Settle(string callId, ImmutableArray<string> subjectKeys, long actualTokens, decimal actualCost)
    {
        if (subjectKeys.IsDefaultOrEmpty)
        {
            return;
        }
        try
        {
            cluster.GetGrain<IAdmissionGrain>(IAdmissionGrain.DefaultKey)
                .Settle(new AdmissionSettlement(callId, subjectKeys, actualTokens, actualCost)).Ignore();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            QuotaLog.SettlementNotSent(logger, "settlement", callId, e.Message);
        }
    }

    /// <summary>Frees an admitted request's reservation without usage, one-way.</summary>
    public void Release(string callId, ImmutableArray<string> subjectKeys)
    {
        if (subjectKeys.IsDefaultOrEmpty)
        {
            return;
        }
        try
        {
            cluster.GetGrain<IAdmissionGrain>(IAdmissionGrain.DefaultKey).Release(callId, subjectKeys).Ignore();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            QuotaLog.SettlementNotSent(logger, "release", callId, e.Message);
        }
    }

    /// <summary>Whether a virtual key may be used at all, from its cached definition; reserves nothing.</summary>
    public async Task<KeyLookup> LookupAsync(string keyHash)
    {
        if (connection.ConnectedGateways == 0)
        {
            Unavailable("not connected to any silo gateway");
            return KeyLookup.Unavailable;
        }
        KeyDefinition? key;
        try
        {
            key = await cluster.GetGrain<IKeyGrain>(keyHash).Get();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Unavailable(e.Message);
            return KeyLookup.Unavailable;
        }
        return key is null ? KeyLookup.Unknown
            : key.Blocked ? KeyLookup.Blocked
            : key.Expires is { } expires && expires <= time.GetUtcNow() ? KeyLookup.Expired
            : KeyLookup.Valid;
    }

    private void Unavailable(string error)
    {
        if (Interlocked.Exchange(ref unavailable, 1) == 0)
        {
            QuotaLog.AdmissionUnavailable(logger, error);
        }
    }
}
