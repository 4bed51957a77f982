using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary>
/// Puts the live rollups and the store's history together. Both count the same gateway requests: the rollups are ahead
/// of the store by its write delay, the store is ahead when it also holds generations the rollups never saw (Langfuse
/// SDK ingestion) or when a silo restart without Redis emptied the rollups. So for each series and each row the source
/// that counted more requests wins (the rollups on a tie, as the fresher view); a source that failed is left out.
/// </summary>
public static class UsageMerge
{
    /// <summary>The headline series: the more complete of the rollup (<see langword="null"/> when not asked) and the store.</summary>
    public static UsagePanel<UsageSeries> Series(UsageRead<UsageSeries>? live, UsageRead<UsageSeries> store)
    {
        if (live is null)
        {
            return store.Ok
                ? new(store.Value!, UsageSource.Store, null)
                : new(UsageSeries.Empty, UsageSource.None, "analytics store: " + store.Error);
        }
        return (live.Ok, store.Ok) switch
        {
            (true, true) => live.Value!.Totals.Requests >= store.Value!.Totals.Requests
                ? new(live.Value, UsageSource.Live, null)
                : new(store.Value, UsageSource.Store, null),
            (true, false) => new(live.Value!, UsageSource.Live, "analytics store: " + store.Error),
            (false, true) => new(store.Value!, UsageSource.Store, "live rollups: " + live.Error),
            _ => new(UsageSeries.Empty, UsageSource.None, $"live rollups: {live.Error}; analytics store: {store.Error}"),
        };
    }

    /// <summary>
    /// A breakdown (by model or team): the store's rows, each replaced by its subject's rollup where that counted at
    /// least as many requests; rollup subjects the store has no row for are added. <paramref name="live"/> is
    /// <see langword="null"/> when the window is not live.
    /// </summary>
    public static UsagePanel<ImmutableArray<UsageGroup>> Groups(
        IReadOnlyList<(string Name, UsageRead<UsageSeries> Read)>? live,
        UsageRead<ImmutableArray<UsageGroup>> store)
    {
        var rows = new Dictionary<string, (UsageTotals Totals, bool Live)>(StringComparer.Ordinal);
        if (store.Ok)
        {
            foreach (var g in store.Value)
            {
                rows[g.Name] = (g.Totals, false);
            }
        }
        var liveAnswered = 0;
        var liveFailed = new List<(string Name, string? Error)>();
        foreach (var (name, read) in live ?? [])
        {
            if (!read.Ok)
            {
                liveFailed.Add((name, read.Error));
                continue;
            }
            liveAnswered++;
            var totals = read.Value!.Totals;
            if (totals.Requests > 0 && (!rows.TryGetValue(name, out var s) || totals.Requests >= s.Totals.Requests))
            {
                rows[name] = (totals, true);
            }
        }

        var errors = new List<string>();
        if (!store.Ok)
        {
            errors.Add("analytics store: " + store.Error);
        }
        if (liveFailed.Count > 0)
        {
            errors.Add($"live rollups of {string.Join(", ", liveFailed.Select(f => Display(f.Name)))}: {liveFailed[0].Error}");
        }
        var error = errors.Count == 0 ? null : string.Join("; ", errors);
        if (!store.Ok && liveAnswered == 0)
        {
            return new([], UsageSource.None, error);
        }
        var usedLive = rows.Values.Any(r => r.Live);
        var usedStore = rows.Values.Any(r => !r.Live);
        var source = (usedLive, usedStore) switch
        {
            (true, true) => UsageSource.Mixed,
            (true, false) => UsageSource.Live,
            (false, true) => UsageSource.Store,
            _ => store.Ok ? UsageSource.Store : UsageSource.Live,
        };
        var sorted = rows
            .Select(r => new UsageGroup(r.Key, r.Value.Totals))
            .OrderByDescending(g => g.Totals.Requests)
            .ThenByDescending(g => g.Totals.Cost)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToImmutableArray();
        return new(sorted, source, error);
    }

    /// <summary>A store-only list (top users, top keys).</summary>
    public static UsagePanel<ImmutableArray<UsageGroup>> StoreOnly(UsageRead<ImmutableArray<UsageGroup>> store) => store.Ok
        ? new(store.Value, UsageSource.Store, null)
        : new([], UsageSource.None, "analytics store: " + store.Error);

    /// <summary>
    /// Every bucket of <paramref name="window"/>, oldest first, with zero totals where the series has none (sources
    /// return only buckets with requests). A bucket that is not on the window's grid is moved onto it.
    /// </summary>
    public static ImmutableArray<UsageBucket> Fill(UsageSeries series, UsageWindow window)
    {
        var byStart = new Dictionary<long, UsageTotals>();
        foreach (var b in series.Buckets)
        {
            var start = b.StartMs - (((b.StartMs % window.BucketMs) + window.BucketMs) % window.BucketMs);
            // Two source buckets in one of ours only happens off-grid: counts add, percentiles keep the worse one.
            byStart[start] = byStart.TryGetValue(start, out var t) ? Add(t, b.Totals) : b.Totals;
        }
        return [.. window.BucketStarts().Select(s => new UsageBucket(s, byStart.GetValueOrDefault(s) ?? UsageTotals.Empty))];
    }

    /// <summary>A team id or name for people: the empty one is requests made outside any team.</summary>
    public static string Display(string name) => name.Length == 0 ? "(none)" : name;

    private static UsageTotals Add(UsageTotals a, UsageTotals b) => new(
        a.Requests + b.Requests, a.Errors + b.Errors, a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens,
        a.Cost + b.Cost, a.CacheHits + b.CacheHits,
        Math.Max(a.LatencyP50Ms, b.LatencyP50Ms), Math.Max(a.LatencyP95Ms, b.LatencyP95Ms), Math.Max(a.LatencyP99Ms, b.LatencyP99Ms));
}
