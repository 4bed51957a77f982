using System.Text.Json;
using HotDash.Dashboard.PublicApi.Ingestion;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>
/// Usage and cost of a span (Langfuse's <c>extractUsageDetails</c>/<c>extractCostDetails</c>, then its ingestion schema):
/// <c>langfuse.observation.usage_details</c>/<c>cost_details</c> (JSON objects) when sent, else the instrumentation's
/// attributes (<c>gen_ai.usage.*</c>, <c>llm.token_count.*</c>, the Vercel AI SDK's), with cached and reasoning tokens
/// split out of input and output.
/// </summary>
internal static class OtelUsage
{
    private static readonly HashSet<string> ConsumedKeys = new(StringComparer.Ordinal)
    {
        "prompt_tokens", "input_tokens", "prompt", "completion_tokens", "output_tokens", "completion", "total_tokens", "total",
        "cache_read.input_tokens", "cache_read_input_tokens", "cache_read_tokens", "details.cache_read_tokens",
        "details.cache_read_input_tokens", "prompt_details.cache_read", "input_cached_tokens", "cache_creation.input_tokens",
        "cache_creation_input_tokens", "cache_write_tokens", "details.cache_write_tokens", "details.cache_creation_input_tokens",
        "prompt_details.cache_write", "input_cache_creation", "reasoning.output_tokens", "completion_details.reasoning",
        "completion_details.audio",
    };

    /// <summary>The provided usage (non-negative integer counts by kind), before totals are completed.</summary>
    public static Dictionary<string, long> Usage(OtelAttributes a, string scopeName)
    {
        var provided = new Dictionary<string, long>(StringComparer.Ordinal);
        switch (JsonObjectAttribute(a, OtelKeys.ObservationUsageDetails))
        {
            case { IsObject: true, Document: { } document }:
                using (document)
                {
                    UsageParser.ReadUsageDetails(document.RootElement, OtelKeys.ObservationUsageDetails, provided);
                }
                return provided;
            case { IsObject: false }:
                return provided;
        }
        var counts = scopeName == "ai" ? VercelAiSdk(a) : Generic(a);
        foreach (var (key, value) in counts)
        {
            // The ingestion schema keeps non-negative integers only.
            if (value is { } v && v >= 0 && Math.Floor(v) == v && v < 9.2e18)
            {
                provided[key] = (long)v;
            }
        }
        return provided;
    }

    /// <summary>The provided cost (non-negative USD amounts by kind).</summary>
    public static Dictionary<string, decimal> Cost(OtelAttributes a)
    {
        var provided = new Dictionary<string, decimal>(StringComparer.Ordinal);
        switch (JsonObjectAttribute(a, OtelKeys.ObservationCostDetails))
        {
            case { IsObject: true, Document: { } document }:
                using (document)
                {
                    UsageParser.ReadCostDetails(document.RootElement, provided);
                }
                return provided;
            case { IsObject: false }:
                return provided;
        }
        var total = a["gen_ai.usage.cost"] ?? a["llm.cost.total"];
        // Only numbers pass Langfuse's cost schema.
        if (total is { Kind: OtlpValueKind.Int or OtlpValueKind.Double } && OtelJson.ToNumber(total) is { } amount && double.IsFinite(amount) && amount >= 0)
        {
            provided[UsageKeys.Total] = (decimal)amount;
        }
        return provided;
    }

    // gen_ai.usage.* and llm.token_count.*: input/output without the cache and reasoning buckets they include.
    private static Dictionary<string, double?> Generic(OtelAttributes a)
    {
        var raw = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in a.Keys)
        {
            string? name = key.StartsWith("gen_ai.usage.", StringComparison.Ordinal) && key != "gen_ai.usage.cost" ? key["gen_ai.usage.".Length..]
                : key.StartsWith("llm.token_count.", StringComparison.Ordinal) ? key["llm.token_count.".Length..]
                : null;
            if (name is not null && a[key] is { } value && OtelJson.ToNumber(value) is { } number)
            {
                raw[name] = number;
            }
        }
        var result = new Dictionary<string, double?>(StringComparer.Ordinal);
        if (raw.Count == 0)
        {
            return result;
        }
        var input = Any(raw, "prompt_tokens", "input_tokens", "prompt");
        var output = Any(raw, "completion_tokens", "output_tokens", "completion");
        var total = Any(raw, "total_tokens", "total");
        var cacheRead = Any(raw, "cache_read.input_tokens", "cache_read_input_tokens", "cache_read_tokens", "details.cache_read_tokens",
            "details.cache_read_input_tokens", "prompt_details.cache_read", "input_cached_tokens");
        var cacheCreation = Any(raw, "cache_creation.input_tokens", "cache_creation_input_tokens", "cache_write_tokens", "details.cache_write_tokens",
            "details.cache_creation_input_tokens", "prompt_details.cache_write", "input_cache_creation");
        var reasoning = Any(raw, "reasoning.output_tokens", "completion_details.reasoning");
        var audio = Any(raw, "completion_details.audio");
        foreach (var (key, value) in raw)
        {
            if (!ConsumedKeys.Contains(key))
            {
                result[key.StartsWith("details.", StringComparison.Ordinal) ? key["details.".Length..] : key] = value;
            }
        }
        if (input is { } i)
        {
            result[UsageKeys.Input] = Math.Max(i - (cacheRead ?? 0) - (cacheCreation ?? 0), 0);
        }
        if (output is { } o)
        {
            result[UsageKeys.Output] = Math.Max(o - (reasoning ?? 0) - (audio ?? 0), 0);
        }
        Put(result, UsageKeys.Total, total);
        Put(result, UsageKeys.InputCached, cacheRead);
        Put(result, "input_cache_creation", cacheCreation);
        Put(result, UsageKeys.OutputReasoning, reasoning);
        Put(result, "output_audio_tokens", audio);
        return result;
    }

    // The Vercel AI SDK: gen_ai.usage.prompt/completion (or input/output) tokens, ai.usage.tokens, cached and reasoning tokens.
    private static Dictionary<string, double?> VercelAiSdk(OtelAttributes a)
    {
        double? Number(string key) => a[key] is { } v ? ParseIntLike(v) : null;
        var result = new Dictionary<string, double?>(StringComparer.Ordinal)
        {
            [UsageKeys.Input] = a.Has("gen_ai.usage.prompt_tokens") ? Number("gen_ai.usage.prompt_tokens") ?? 0
                : a.Has("gen_ai.usage.input_tokens") ? Number("gen_ai.usage.input_tokens") ?? 0 : null,
            [UsageKeys.Output] = a.Has("gen_ai.usage.completion_tokens") ? Number("gen_ai.usage.completion_tokens") ?? 0
                : a.Has("gen_ai.usage.output_tokens") ? Number("gen_ai.usage.output_tokens") ?? 0 : null,
            [UsageKeys.Total] = a.Has("ai.usage.tokens") ? Number("ai.usage.tokens") ?? 0 : null,
        };
        Put(result, UsageKeys.InputCached, Number("ai.usage.cachedInputTokens"));
        Put(result, UsageKeys.OutputReasoning, Number("ai.usage.reasoningTokens"));
        result[UsageKeys.Input] = Math.Max((result[UsageKeys.Input] ?? 0) - (result.GetValueOrDefault(UsageKeys.InputCached) ?? 0), 0);
        result[UsageKeys.Output] = Math.Max((result[UsageKeys.Output] ?? 0) - (result.GetValueOrDefault(UsageKeys.OutputReasoning) ?? 0), 0);
        return result;
    }

    // parseInt(String(v)) for counts the SDK may send as numbers or strings.
    private static double? ParseIntLike(OtlpAnyValue value) =>
        OtelJson.ToNumber(value) is { } d && double.IsFinite(d) ? Math.Truncate(d) : null;

    private static double? Any(Dictionary<string, double> raw, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (raw.TryGetValue(key, out var value))
            {
                return value;
            }
        }
        return null;
    }

    private static void Put(Dictionary<string, double?> into, string key, double? value)
    {
        if (value is not null)
        {
            into[key] = value;
        }
    }

    /// <summary>
    /// Langfuse's <c>parseJsonObjectAttribute</c>: <see langword="null"/> when absent or not JSON (look elsewhere); an
    /// object's document; <c>IsObject: false</c> when present but not a JSON-object string (counts as an empty object).
    /// </summary>
    private static (bool IsObject, JsonDocument? Document)? JsonObjectAttribute(OtelAttributes a, string key)
    {
        if (!a.IsTruthy(key))
        {
            return null;
        }
        if (a.StringValue(key) is not { } text)
        {
            return (false, null);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null;
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (false, null);
        }
        return (true, document);
    }
}
