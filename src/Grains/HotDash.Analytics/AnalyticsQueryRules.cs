using System.Collections.Immutable;

namespace HotDash.Analytics;

/// <summary>
/// What both stores decide the same way before they write their own SQL: the column a trace list is ordered by, the
/// score value comparison, and where a page starts. One place, so the two stores cannot drift apart.
/// </summary>
internal static class AnalyticsQueryRules
{
    /// <summary>The column for Langfuse's <c>orderBy</c>; only names from this fixed map ever reach the SQL.</summary>
    public static string TraceOrderColumn(string? orderBy) => orderBy switch
    {
        null or "" or "timestamp" => "timestamp",
        "name" => "name",
        "userId" => "user_id",
        "release" => "release",
        "version" => "version",
        "public" => "public",
        "bookmarked" => "bookmarked",
        "sessionId" => "session_id",
        "id" => "id",
        _ => throw new ArgumentException($"traces cannot be ordered by '{orderBy}'", nameof(orderBy)),
    };

    /// <summary>The SQL comparison for Langfuse's score <c>operator</c> (default <c>=</c>).</summary>
    public static string ScoreOperator(string? op) => op switch
    {
        null or "" or "=" => "=",
        "<" or ">" or "<=" or ">=" or "!=" => op,
        _ => throw new ArgumentException($"unknown score value operator '{op}'", nameof(op)),
    };

    /// <summary>Rows to skip and rows to take for a 1-based page (a page below 1 is page 1, a negative limit 0).</summary>
    public static (long Offset, int Size) Page(int page, int limit)
    {
        var size = Math.Max(0, limit);
        return ((Math.Max(1L, page) - 1) * size, size);
    }

    /// <summary>The narrowest overview bucket: the rollup grains' resolution.</summary>
    public const long MinBucketMs = 60_000;

    /// <summary>The most buckets one overview may ask for (a chart shows a few hundred points at most).</summary>
    public const long MaxBuckets = 2_000;

    /// <summary>The longest overview range: a little over a year, what retention keeps at most in practice.</summary>
    public static readonly long MaxRangeMs = (long)TimeSpan.FromDays(400).TotalMilliseconds;

    /// <summary>The most entries an overview's breakdowns keep.</summary>
    public const int MaxTop = 1_000;

    /// <summary>The rank a trace or observation level orders by (worst is highest); unknown levels count as <c>DEFAULT</c>.</summary>
    public const int DefaultLevelRank = 1;

    // Index = rank: DEBUG < DEFAULT < WARNING < ERROR, the order the trace list's level is the worst of.
    private static readonly string[] LevelsByRank = ["DEBUG", "DEFAULT", "WARNING", "ERROR"];

    /// <summary>The level of a rank (see <see cref="DefaultLevelRank"/>).</summary>
    public static string LevelName(long rank) => rank >= 0 && rank < LevelsByRank.Length ? LevelsByRank[rank] : LevelsByRank[DefaultLevelRank];

    /// <summary>The rank of a level name (case-insensitive), or null when it is none of the four.</summary>
    public static int? LevelRank(string? level)
    {
        for (var i = 0; i < LevelsByRank.Length; i++)
        {
            if (string.Equals(LevelsByRank[i], level, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return null;
    }

    /// <summary>The worst level among observations' levels; <c>DEFAULT</c> without any.</summary>
    public static string WorstLevel(IEnumerable<string?> levels)
    {
        var worst = -1;
        foreach (var level in levels)
        {
            worst = Math.Max(worst, LevelRank(level) ?? DefaultLevelRank);
        }
        return LevelName(worst < 0 ? DefaultLevelRank : worst);
    }

    /// <summary>An observation's tokens as both stores count them: usage <c>total</c>, else input plus output.</summary>
    public static long Tokens(ImmutableDictionary<string, long>? usage) =>
        usage is null ? 0
        : usage.TryGetValue(Grains.UsageKeys.Total, out var total) ? total
        : usage.GetValueOrDefault(Grains.UsageKeys.Input) + usage.GetValueOrDefault(Grains.UsageKeys.Output);

    /// <summary>The ranks a trace query's <c>Levels</c> asks for (unknown names match nothing), distinct, ascending.</summary>
    public static IReadOnlyList<int> LevelRanks(ImmutableArray<string> levels) =>
        levels.IsDefaultOrEmpty ? [] : [.. levels.Select(LevelRank).OfType<int>().Distinct().Order()];

    /// <summary>Whether a trace query filters on what its observations add up to (level, cost, latency).</summary>
    public static bool HasAggregateFilter(Grains.TraceQuery query) =>
        !query.Levels.IsDefaultOrEmpty || query.MinCost is not null || query.MaxCost is not null
        || query.MinLatencySeconds is not null || query.MaxLatencySeconds is not null;

    /// <summary>
    /// Whether a trace without observations (level <c>DEFAULT</c>, cost 0, latency 0) passes the aggregate filters. Such
    /// traces have no row in the per-trace observation totals, so the stores test "no totals row fails" instead.
    /// </summary>
    public static bool AggregateDefaultsMatch(Grains.TraceQuery query) =>
        (query.Levels.IsDefaultOrEmpty || LevelRanks(query.Levels).Contains(DefaultLevelRank))
        && (query.MinCost is not { } minCost || MinCostBound(minCost) <= 0m)
        && (query.MaxCost is not { } maxCost || MaxCostBound(maxCost) >= 0m)
        && (query.MinLatencySeconds is not { } minLatency || minLatency <= 0)
        && (query.MaxLatencySeconds is not { } maxLatency || maxLatency >= 0);

    /// <summary>Refuses what no SQL literal should carry: latency bounds that are not finite numbers.</summary>
    public static void Validate(Grains.TraceQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.MinLatencySeconds is { } min && !double.IsFinite(min))
        {
            throw new ArgumentException($"MinLatencySeconds must be a finite number, not {min}", nameof(query));
        }
        if (query.MaxLatencySeconds is { } max && !double.IsFinite(max))
        {
            throw new ArgumentException($"MaxLatencySeconds must be a finite number, not {max}", nameof(query));
        }
    }

    /// <summary>
    /// A lower cost bound at the columns' scale (12 places), rounded up: costs are whole multiples of 1e-12, so
    /// "at least the rounded bound" is exactly "at least the bound". Clamped to what <c>Decimal(38,12)</c> holds.
    /// </summary>
    public static decimal MinCostBound(decimal value) => Math.Round(Math.Clamp(value, -MaxCost, MaxCost), 12, MidpointRounding.ToPositiveInfinity);

    /// <summary>An upper cost bound at the columns' scale, rounded down (see <see cref="MinCostBound"/>).</summary>
    public static decimal MaxCostBound(decimal value) => Math.Round(Math.Clamp(value, -MaxCost, MaxCost), 12, MidpointRounding.ToNegativeInfinity);

    // Far above any real cost, and within Decimal(38,12)'s 26 integer digits.
    private const decimal MaxCost = 100_000_000_000_000_000_000m;

    /// <summary>The text to search for, or null for none (an empty text is no filter).</summary>
    public static string? SearchText(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>
    /// Refuses an overview the stores should not run: a bucket under a minute, an empty or reversed range, a range before
    /// the epoch, longer than <see cref="MaxRangeMs"/> or of more than <see cref="MaxBuckets"/> buckets.
    /// </summary>
    public static void Validate(Grains.UsageOverviewQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.ProjectId);
        if (query.BucketMs < MinBucketMs)
        {
            throw new ArgumentException($"BucketMs must be at least {MinBucketMs}, not {query.BucketMs}", nameof(query));
        }
        if (query.FromMs < 0)
        {
            throw new ArgumentException($"FromMs must not be before the epoch, not {query.FromMs}", nameof(query));
        }
        if (query.ToMs <= query.FromMs)
        {
            throw new ArgumentException($"ToMs ({query.ToMs}) must be after FromMs ({query.FromMs})", nameof(query));
        }
        if (query.ToMs - query.FromMs > MaxRangeMs)
        {
            throw new ArgumentException($"the range may be at most {TimeSpan.FromMilliseconds(MaxRangeMs).TotalDays} days", nameof(query));
        }
        var buckets = ((query.ToMs - 1) / query.BucketMs) - (query.FromMs / query.BucketMs) + 1;
        if (buckets > MaxBuckets)
        {
            throw new ArgumentException($"the range spans {buckets} buckets of {query.BucketMs} ms; at most {MaxBuckets} are allowed", nameof(query));
        }
    }

    /// <summary>How many entries each overview breakdown keeps (negative: none; at most <see cref="MaxTop"/>).</summary>
    public static int Top(int top) => Math.Clamp(top, 0, MaxTop);

    /// <summary>The UTC days [first, last] that hold the times in [<paramref name="fromMs"/>, <paramref name="toMs"/>): the <c>day</c> column's bounds, so both stores skip other days.</summary>
    public static (DateOnly First, DateOnly Last) Days(long fromMs, long toMs) =>
        (DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(fromMs).UtcDateTime),
         DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(fromMs, toMs - 1)).UtcDateTime));
}
