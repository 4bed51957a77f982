using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>
/// The usage fields of a generation-like body, as Langfuse's ingestion schema reads them: <c>usage</c> (legacy
/// <c>{promptTokens, completionTokens, totalTokens}</c> or <c>{input, output, total, unit, inputCost, outputCost, totalCost}</c>),
/// <c>usageDetails</c> (raw counts, or an OpenAI completion/response usage object) and <c>costDetails</c>.
/// </summary>
internal static class UsageParser
{
    private static readonly HashSet<string> Units = ["CHARACTERS", "TOKENS", "MILLISECONDS", "SECONDS", "IMAGES", "REQUESTS"];

    /// <summary>Reads <c>usage</c>, <c>usageDetails</c> and <c>costDetails</c> of <paramref name="body"/> into provided usage and cost.</summary>
    public static void Read(JsonElement body, string path, Dictionary<string, long> usage, Dictionary<string, decimal> cost)
    {
        var details = new Dictionary<string, long>(StringComparer.Ordinal);
        if (LangfuseJson.TryGet(body, "usageDetails", out var usageDetails))
        {
            ReadUsageDetails(usageDetails, LangfuseJson.Join(path, "usageDetails"), details);
        }
        if (LangfuseJson.TryGet(body, "usage", out var legacy))
        {
            ReadLegacyUsage(legacy, LangfuseJson.Join(path, "usage"), details.Count == 0, usage, cost);
        }
        // usageDetails win over usage key by key (the worker spreads them last).
        foreach (var (key, value) in details)
        {
            usage[key] = value;
        }
        if (LangfuseJson.TryGet(body, "costDetails", out var costDetails))
        {
            if (costDetails.ValueKind != JsonValueKind.Object)
            {
                throw new IngestionValidationException(LangfuseJson.Join(path, "costDetails"), LangfuseJson.Expected("record", costDetails.ValueKind));
            }
            ReadCostDetails(costDetails, cost);
        }
    }

    /// <summary>
    /// <c>usageDetails</c>: an OpenAI Chat Completions usage (<c>prompt_tokens</c>, ... with <c>*_tokens_details</c>) or
    /// Responses usage (<c>input_tokens</c>, ...) becomes input/output/total plus <c>input_*</c>/<c>output_*</c> details
    /// (subtracted from input/output); any other object keeps its non-negative integer values (numeric strings too)
    /// and drops the rest, as Langfuse does.
    /// </summary>
    public static void ReadUsageDetails(JsonElement value, string path, Dictionary<string, long> into)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new IngestionValidationException(path, LangfuseJson.Expected("record", value.ValueKind));
        }
        if (TryReadOpenAiUsage(value, "prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details", into) ||
            TryReadOpenAiUsage(value, "input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details", into))
        {
            return;
        }
        foreach (var property in value.EnumerateObject())
        {
            if (TryReadCount(property.Value, out var count))
            {
                into[property.Name] = count;
            }
        }
    }

    /// <summary><c>costDetails</c>: the non-negative numbers, others dropped (Langfuse's <c>CostDetails</c>).</summary>
    public static void ReadCostDetails(JsonElement value, Dictionary<string, decimal> into)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Number && LangfuseJson.TryGetDecimal(property.Value, out var amount) && amount >= 0)
            {
                into[property.Name] = amount;
            }
        }
    }

    private static void ReadLegacyUsage(JsonElement value, string path, bool noUsageDetails, Dictionary<string, long> usage, Dictionary<string, decimal> cost)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new IngestionValidationException(path, LangfuseJson.Expected("object", value.ValueKind));
        }
        var input = Count(value, "input", path);
        var output = Count(value, "output", path);
        var total = Count(value, "total", path);
        var promptTokens = Count(value, "promptTokens", path);
        var completionTokens = Count(value, "completionTokens", path);
        var totalTokens = Count(value, "totalTokens", path);
        var inputCost = Cost(value, "inputCost", path);
        var outputCost = Cost(value, "outputCost", path);
        var totalCost = Cost(value, "totalCost", path);
        var unit = LangfuseJson.OptionalString(value, "unit", path);
        if (unit is not null && !Units.Contains(unit))
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, "unit"), $"Invalid option: expected one of {string.Join("|", Units.Select(u => $"\"{u}\""))}");
        }
        if (LangfuseJson.Has(value, "promptTokens") || LangfuseJson.Has(value, "completionTokens") || LangfuseJson.Has(value, "totalTokens"))
        {
            // The OpenAI-style form replaces the whole object (costs included), as Langfuse's transform does.
            (input, output, total, inputCost, outputCost, totalCost) = (promptTokens, completionTokens, totalTokens, null, null, null);
        }
        // usage.total || (no usageDetails ? input + output, or whichever was sent : nothing), as the worker computes it.
        var newTotal = total is > 0 ? total
            : noUsageDetails ? (input is > 0 && output is > 0 ? input + output : input ?? output)
            : null;
        Put(usage, UsageKeys.Input, input);
        Put(usage, UsageKeys.Output, output);
        Put(usage, UsageKeys.Total, newTotal);
        Put(cost, UsageKeys.Input, inputCost);
        Put(cost, UsageKeys.Output, outputCost);
        Put(cost, UsageKeys.Total, totalCost);
    }

    private static long? Count(JsonElement usage, string name, string path)
    {
        var count = LangfuseJson.OptionalInteger(usage, name, path);
        return count is < 0 ? throw new IngestionValidationException(LangfuseJson.Join(path, name), "Too small: expected number to be >=0") : count;
    }

    private static decimal? Cost(JsonElement usage, string name, string path)
    {
        if (!LangfuseJson.TryGet(usage, name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, name), LangfuseJson.Expected("number", value.ValueKind));
        }
        if (!LangfuseJson.TryGetDecimal(value, out var amount))
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, name), "Invalid input: number out of range");
        }
        return amount < 0 ? throw new IngestionValidationException(LangfuseJson.Join(path, name), "Too small: expected number to be >=0") : amount;
    }

    private static void Put<T>(Dictionary<string, T> into, string key, T? value) where T : struct
    {
        if (value is { } v)
        {
            into[key] = v;
        }
    }

    // A count in usageDetails: a non-negative integer, or a string parseInt reads as one.
    private static bool TryReadCount(JsonElement value, out long count)
    {
        count = 0;
        if (value.ValueKind == JsonValueKind.Number)
        {
            return LangfuseJson.TryGetInteger(value, out count) && count >= 0;
        }
        return value.ValueKind == JsonValueKind.String && TryParseInt(value.GetString()!, out count) && count >= 0;
    }

    // JavaScript's parseInt(value, 10): optional whitespace and sign, then the leading digits.
    private static bool TryParseInt(string text, out long value)
    {
        value = 0;
        var span = text.AsSpan().TrimStart();
        var negative = false;
        if (span.Length > 0 && span[0] is '+' or '-')
        {
            negative = span[0] == '-';
            span = span[1..];
        }
        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }
        if (digits == 0 || digits > 18)
        {
            return false;
        }
        value = long.Parse(span[..digits], System.Globalization.CultureInfo.InvariantCulture);
        value = negative ? -value : value;
        return true;
    }

    // Langfuse's strict OpenAI usage schemas: exactly these keys, the three counts required and non-negative.
    private static bool TryReadOpenAiUsage(JsonElement value, string inputKey, string outputKey, string inputDetailsKey, string outputDetailsKey, Dictionary<string, long> into)
    {
        string[] allowed = [inputKey, outputKey, "total_tokens", inputDetailsKey, outputDetailsKey];
        foreach (var property in value.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                return false;
            }
        }
        if (!TryStrictCount(value, inputKey, out var input) || !TryStrictCount(value, outputKey, out var output) ||
            !TryStrictCount(value, "total_tokens", out var total))
        {
            return false;
        }
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!TryDetails(value, inputDetailsKey, "input_", result, ref input) || !TryDetails(value, outputDetailsKey, "output_", result, ref output))
        {
            return false;
        }
        result[UsageKeys.Input] = input;
        result[UsageKeys.Output] = output;
        result[UsageKeys.Total] = total;
        foreach (var (key, count) in result)
        {
            into[key] = count;
        }
        return true;
    }

    private static bool TryStrictCount(JsonElement obj, string name, out long count)
    {
        count = 0;
        return obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number &&
            LangfuseJson.TryGetInteger(value, out count) && count >= 0;
    }

    // prompt_tokens_details {cached_tokens: 3} becomes input_cached_tokens: 3 and is taken out of input.
    private static bool TryDetails(JsonElement obj, string name, string prefix, Dictionary<string, long> result, ref long main)
    {
        if (!LangfuseJson.TryGet(obj, name, out var details))
        {
            return true;
        }
        if (details.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        foreach (var property in details.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (property.Value.ValueKind != JsonValueKind.Number || !LangfuseJson.TryGetInteger(property.Value, out var count) || count < 0)
            {
                return false;
            }
            result[prefix + property.Name] = count;
            main = Math.Max(main - count, 0);
        }
        return true;
    }
}
