using System.Collections.Concurrent;
using HotDash.Dashboard.Services.Analytics;
using HotDash.Grains;

namespace HotDash.Dashboard.Tests.Analytics;

/// <summary>The overview's two grain reads, answered by the test (a seam, not a stand-in for a store).</summary>
internal sealed class FakeUsageReads : IUsageReads
{
    public static readonly UsageOverview EmptyOverview = new(UsageSeries.Empty, [], [], [], []);

    public Func<UsageOverviewQuery, UsageOverview> Overview { get; set; } = _ => EmptyOverview;

    /// <summary>Answers a rollup subject (<c>all</c>, <c>model:X</c>, <c>team:X</c>); throw to fail it.</summary>
    public Func<string, UsageSeries> Rollup { get; set; } = _ => UsageSeries.Empty;

    /// <summary>When set, overview reads wait for it (a slow store).</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>The teams' aliases; throw to fail the read.</summary>
    public Func<IReadOnlyDictionary<string, string>> Aliases { get; set; } = () => new Dictionary<string, string>();

    public ConcurrentQueue<UsageOverviewQuery> OverviewQueries { get; } = new();

    public int AliasReads;

    public Task<IReadOnlyDictionary<string, string>> TeamAliasesAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref AliasReads);
        return Task.FromResult(Aliases());
    }

    public ConcurrentQueue<(string Subject, long FromMs, long ToMs, long BucketMs)> Summaries { get; } = new();

    public async Task<UsageOverview> QueryOverviewAsync(UsageOverviewQuery query, CancellationToken cancellationToken)
    {
        OverviewQueries.Enqueue(query);
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }
        return Overview(query);
    }

    public Task<UsageSeries> SummarizeAsync(string subject, long fromMs, long toMs, long bucketMs, CancellationToken cancellationToken)
    {
        Summaries.Enqueue((subject, fromMs, toMs, bucketMs));
        return Task.FromResult(Rollup(subject));
    }

    public static UsageTotals Totals(long requests, long errors = 0, long input = 0, long output = 0, decimal cost = 0m, long cacheHits = 0,
        double p50 = 0, double p95 = 0, double p99 = 0) =>
        new(requests, errors, input, output, cost, cacheHits, p50, p95, p99);

    public static UsageSeries Series(UsageTotals totals, params UsageBucket[] buckets) => new(totals, [.. buckets]);
}
