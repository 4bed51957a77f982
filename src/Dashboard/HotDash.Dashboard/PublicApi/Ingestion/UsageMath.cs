using System.Collections.Immutable;

using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>Langfuse's completion of provided usage and cost (the worker's <c>getUsageUnits</c> and <c>calculateTotalCost</c>).</summary>
internal static class UsageMath
{
    /// <summary>
    /// The usage as stored: <see langword="null"/> when nothing was provided; otherwise the provided keys, with
    /// <c>total</c> the sum of all of them when it was not provided.
    /// </summary>
    public static ImmutableDictionary<string, long>? CompleteUsage(IReadOnlyDictionary<string, long> provided)
    {
        if (provided.Count == 0)
        {
            return null;
        }
        var usage = provided.ToImmutableDictionary(StringComparer.Ordinal);
        if (!usage.ContainsKey(UsageKeys.Total))
        {
            long sum = 0;
            foreach (var value in provided.Values)
            {
                sum += value;
            }
            usage = usage.Add(UsageKeys.Total, sum);
        }
        return usage;
    }

    /// <summary>
    /// The cost as stored: the provided keys and the total cost, which is <c>total</c> when provided, else
    /// <c>input + output</c> when only those were provided, else unknown.
    /// </summary>
    public static (ImmutableDictionary<string, decimal>? Details, decimal? Total) CompleteCost(IReadOnlyDictionary<string, decimal> provided)
    {
        if (provided.Count == 0)
        {
            return (null, null);
        }
        var details = provided.ToImmutableDictionary(StringComparer.Ordinal);
        if (details.TryGetValue(UsageKeys.Total, out var total))
        {
            return (details, total);
        }
        if (details.Keys.All(k => k is UsageKeys.Input or UsageKeys.Output))
        {
            var sum = details.GetValueOrDefault(UsageKeys.Input) + details.GetValueOrDefault(UsageKeys.Output);
            return (details.Add(UsageKeys.Total, sum), sum);
        }
        return (details, null);
    }
}
