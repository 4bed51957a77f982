using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>Langfuse's v1 observation object (<c>APIObservation</c> after <c>transformDbToApiObservation</c>), field for field.</summary>
internal static class LangfuseObservationJson
{
    private const string Unit = "TOKENS";

    /// <param name="w">The writer.</param>
    /// <param name="o">The stored observation.</param>
    /// <param name="projectId">The key's project.</param>
    /// <param name="pricesAsZero">
    /// Langfuse fills the model prices with 0 in a trace's observations and with <c>null</c> elsewhere; HotDash matches
    /// no Langfuse model, so these are the only values it has.
    /// </param>
    public static void WriteObservation(Utf8JsonWriter w, ObservationRecord o, string projectId, bool pricesAsZero)
    {
        var start = o.StartTimeMs ?? o.CreatedAtMs ?? o.EventTsMs ?? 0;
        var created = o.CreatedAtMs ?? start;
        var usage = Reduce(o.UsageDetails);
        var cost = ReduceCost(o.CostDetails, o.TotalCost);

        w.WriteStartObject();
        w.WriteString("id", o.Id);
        LangfuseJson.WriteStringOrNull(w, "traceId", o.TraceId);
        LangfuseJson.WriteTimestamp(w, "startTime", start);
        LangfuseJson.WriteTimestampOrNull(w, "endTime", o.EndTimeMs);
        w.WriteString("projectId", string.IsNullOrEmpty(o.ProjectId) ? projectId : o.ProjectId);
        LangfuseJson.WriteStringOrNull(w, "parentObservationId", o.ParentObservationId);
        w.WriteString("type", string.IsNullOrEmpty(o.Type) ? "SPAN" : o.Type);
        w.WriteString("environment", string.IsNullOrEmpty(o.Environment) ? "default" : o.Environment);
        LangfuseJson.WriteStringOrNull(w, "name", o.Name);
        w.WriteString("level", string.IsNullOrEmpty(o.Level) ? "DEFAULT" : o.Level);
        LangfuseJson.WriteStringOrNull(w, "statusMessage", o.StatusMessage);
        LangfuseJson.WriteStringOrNull(w, "version", o.Version);
        LangfuseJson.WriteTimestamp(w, "createdAt", created);
        LangfuseJson.WriteTimestamp(w, "updatedAt", o.UpdatedAtMs ?? created);
        LangfuseJson.WriteJsonText(w, "input", o.Input);
        LangfuseJson.WriteJsonText(w, "output", o.Output);
        LangfuseJson.WriteMetadata(w, "metadata", o.Metadata);
        LangfuseJson.WriteStringOrNull(w, "model", o.Model);
        LangfuseJson.WriteJsonTextOrNull(w, "modelParameters", o.ModelParameters);
        LangfuseJson.WriteTimestampOrNull(w, "completionStartTime", o.CompletionStartTimeMs);
        w.WriteNull("promptId");
        LangfuseJson.WriteStringOrNull(w, "promptName", o.PromptName);
        if (o.PromptVersion is { } promptVersion and > 0)
        {
            w.WriteNumber("promptVersion", promptVersion);
        }
        else
        {
            w.WriteNull("promptVersion");
        }
        LangfuseJson.WriteNumberOrNull(w, "latency", Seconds(o.StartTimeMs, o.EndTimeMs));
        LangfuseJson.WriteNumberOrNull(w, "timeToFirstToken", Seconds(o.StartTimeMs, o.CompletionStartTimeMs));
        WriteUsageDetails(w, o.UsageDetails);
        WriteCostDetails(w, o.CostDetails);
        w.WriteNull("usagePricingTierId");
        w.WriteNull("usagePricingTierName");
        LangfuseJson.WriteNumberOrNull(w, "calculatedInputCost", cost.Input);
        LangfuseJson.WriteNumberOrNull(w, "calculatedOutputCost", cost.Output);
        w.WriteNumber("calculatedTotalCost", cost.Total);
        w.WriteString("unit", Unit);
        WritePrice(w, "inputPrice", pricesAsZero);
        WritePrice(w, "outputPrice", pricesAsZero);
        WritePrice(w, "totalPrice", pricesAsZero);
        w.WriteNumber("promptTokens", usage.Input);
        w.WriteNumber("completionTokens", usage.Output);
        w.WriteNumber("totalTokens", usage.Total);
        w.WriteNull("modelId");
        w.WriteStartObject("usage");
        w.WriteString("unit", Unit);
        w.WriteNumber("input", usage.Input);
        w.WriteNumber("output", usage.Output);
        w.WriteNumber("total", usage.Total);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WritePrice(Utf8JsonWriter w, string name, bool asZero)
    {
        if (asZero)
        {
            w.WriteNumber(name, 0);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static double? Seconds(long? fromMs, long? toMs) =>
        fromMs is { } from && toMs is { } to ? (to - from) / 1000.0 : null;

    private static void WriteUsageDetails(Utf8JsonWriter w, ImmutableDictionary<string, long>? details)
    {
        w.WriteStartObject("usageDetails");
        if (details is not null)
        {
            foreach (var (key, value) in details.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteNumber(key, value);
            }
        }
        w.WriteEndObject();
    }

    private static void WriteCostDetails(Utf8JsonWriter w, ImmutableDictionary<string, decimal>? details)
    {
        w.WriteStartObject("costDetails");
        if (details is not null)
        {
            foreach (var (key, value) in details.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteNumber(key, value);
            }
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// Langfuse's <c>reduceUsageOrCostDetails</c> for the legacy token fields: input is the sum of the keys containing
    /// "input", output of those containing "output", total is <c>total</c> (0 without one). HotDash's own
    /// <c>input</c>/<c>output</c> already include the cached and reasoning tokens (<see cref="UsageKeys"/>), so those two
    /// breakdown keys are not added again when <c>input</c>/<c>output</c> are there.
    /// </summary>
    internal static (long Input, long Output, long Total) Reduce(ImmutableDictionary<string, long>? details)
    {
        if (details is null || details.Count == 0)
        {
            return (0, 0, 0);
        }
        var hasInput = details.ContainsKey(UsageKeys.Input);
        var hasOutput = details.ContainsKey(UsageKeys.Output);
        long input = 0, output = 0;
        foreach (var (key, value) in details)
        {
            if (key.Contains("input", StringComparison.Ordinal) && !(hasInput && key == UsageKeys.InputCached))
            {
                input += value;
            }
            if (key.Contains("output", StringComparison.Ordinal) && !(hasOutput && key == UsageKeys.OutputReasoning))
            {
                output += value;
            }
        }
        var total = details.TryGetValue(UsageKeys.Total, out var t) ? t : 0;
        return (input, output, total);
    }

    /// <summary>The same reduction of cost details; <c>null</c> input/output when no key names them (Langfuse's nulls).</summary>
    internal static (decimal? Input, decimal? Output, decimal Total) ReduceCost(ImmutableDictionary<string, decimal>? details, decimal? totalCost)
    {
        decimal? input = null, output = null;
        decimal? total = null;
        if (details is not null)
        {
            var hasInput = details.ContainsKey(UsageKeys.Input);
            var hasOutput = details.ContainsKey(UsageKeys.Output);
            foreach (var (key, value) in details)
            {
                if (key.Contains("input", StringComparison.Ordinal) && !(hasInput && key == UsageKeys.InputCached))
                {
                    input = (input ?? 0) + value;
                }
                if (key.Contains("output", StringComparison.Ordinal) && !(hasOutput && key == UsageKeys.OutputReasoning))
                {
                    output = (output ?? 0) + value;
                }
            }
            if (details.TryGetValue(UsageKeys.Total, out var t))
            {
                total = t;
            }
        }
        return (input, output, total ?? totalCost ?? 0);
    }
}
