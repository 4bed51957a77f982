using System.Globalization;
using System.Text;
using HotDash.Api.Gateway;
using HotDash.Grains;

namespace HotDash.Api.Quotas;

/// <summary>
/// The quota headers of a virtual key's answer: OpenAI's <c>x-ratelimit-*</c> (only for limits that exist) and
/// LiteLLM's <c>x-litellm-key-spend</c>; on a 429 also <c>retry-after</c> and <c>rate_limit_type</c>.
/// </summary>
internal static class QuotaHeaders
{
    public static void Write(IHeaderDictionary headers, AdmissionDecision quota, string keyHash)
    {
        WriteLimit(headers, quota.LimitRequests, quota.RemainingRequests, quota.ResetRequests,
            GatewayHeaders.LimitRequests, GatewayHeaders.RemainingRequests, GatewayHeaders.ResetRequests);
        WriteLimit(headers, quota.LimitTokens, quota.RemainingTokens, quota.ResetTokens,
            GatewayHeaders.LimitTokens, GatewayHeaders.RemainingTokens, GatewayHeaders.ResetTokens);
        if (quota.Spend.TryGetValue(QuotaSubjects.Key(keyHash), out var spend))
        {
            headers[GatewayHeaders.KeySpend] = spend.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The headers of a quota's 429: <c>retry-after</c> in whole seconds (rounded up), <c>rate_limit_type</c>, and the rest.</summary>
    public static void WriteRefusal(IHeaderDictionary headers, AdmissionDecision quota, string keyHash)
    {
        if (quota.RetryAfter is { } retry)
        {
            headers.RetryAfter = Number((long)Math.Max(1, Math.Ceiling(retry.TotalSeconds)));
        }
        if (quota.RateLimitType is { } type)
        {
            headers[GatewayHeaders.RateLimitType] = type;
        }
        Write(headers, quota, keyHash);
    }

    /// <summary>
    /// OpenAI's reset format (Go's duration text): <c>850ms</c> under a second, else hours, minutes and seconds
    /// down to the largest unit present, seconds with up to three decimals: <c>1s</c>, <c>1.5s</c>, <c>6m0s</c>, <c>1h0m0s</c>.
    /// </summary>
    public static string Duration(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }
        if (value < TimeSpan.FromSeconds(1))
        {
            return Number((long)Math.Ceiling(value.TotalMilliseconds)) + "ms";
        }
        var ms = (long)Math.Round(value.TotalMilliseconds);
        var hours = ms / 3_600_000;
        var minutes = ms / 60_000 % 60;
        var seconds = ms % 60_000 / 1000m;
        var text = new StringBuilder(16);
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }
        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }
        return text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s').ToString();
    }

    private static void WriteLimit(IHeaderDictionary headers, long? limit, long? remaining, TimeSpan? reset, string limitName, string remainingName, string resetName)
    {
        if (limit is null)
        {
            return; // only limits that exist are reported
        }
        headers[limitName] = Number(limit.Value);
        if (remaining is { } left)
        {
            headers[remainingName] = Number(Math.Max(0, left));
        }
        if (reset is { } after)
        {
            headers[resetName] = Duration(after);
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
