using System.Collections.Immutable;
using System.Globalization;
using HotDash.Grains;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary>A window's series as chart columns: one label and one value per bucket, empty buckets included.</summary>
public sealed class UsageChartData
{
    /// <summary>At most this many x-axis labels are written; the others stay blank so the axis stays readable.</summary>
    public const int MaxLabels = 12;

    // Labels with a date are twice as wide as times of day: fewer of them fit under a half-width chart.
    private const int MaxDatedLabels = 7;

    private UsageChartData(ImmutableArray<UsageBucket> buckets, string[] labels)
    {
        Buckets = buckets;
        Labels = labels;
    }

    /// <summary>Every bucket of the window, oldest first.</summary>
    public ImmutableArray<UsageBucket> Buckets { get; }

    /// <summary>The x-axis labels (UTC), blank between every few.</summary>
    public string[] Labels { get; }

    /// <summary>Requests per bucket.</summary>
    public double[] Requests => [.. Buckets.Select(b => (double)b.Totals.Requests)];

    /// <summary>Errors per bucket.</summary>
    public double[] Errors => [.. Buckets.Select(b => (double)b.Totals.Errors)];

    /// <summary>Cost per bucket, USD.</summary>
    public double[] Cost => [.. Buckets.Select(b => (double)b.Totals.Cost)];

    /// <summary>A latency percentile per bucket, ms; <see langword="null"/> (a gap) where a bucket had no requests.</summary>
    public double?[] Latency(Func<UsageTotals, double> percentile) =>
        [.. Buckets.Select(b => b.Totals.Requests == 0 ? (double?)null : percentile(b.Totals))];

    /// <summary>The chart columns of <paramref name="series"/> over <paramref name="window"/>.</summary>
    public static UsageChartData From(UsageSeries series, UsageWindow window)
    {
        var buckets = UsageMerge.Fill(series, window);
        var format = LabelFormat(window);
        var max = format.Length > 5 ? MaxDatedLabels : MaxLabels;
        var every = Math.Max(1, (buckets.Length + max - 1) / max);
        var labels = new string[buckets.Length];
        for (var i = 0; i < buckets.Length; i++)
        {
            labels[i] = i % every == 0
                ? DateTimeOffset.FromUnixTimeMilliseconds(buckets[i].StartMs).UtcDateTime.ToString(format, CultureInfo.InvariantCulture)
                : "";
        }
        return new UsageChartData(buckets, labels);
    }

    /// <summary>Times of day within a day; the date too across days; only the date for daily buckets.</summary>
    public static string LabelFormat(UsageWindow window) =>
        window.BucketMs >= TimeSpan.FromDays(1).TotalMilliseconds ? "MM-dd"
        : window.ToMs - window.FromMs <= TimeSpan.FromDays(1).TotalMilliseconds + UsageWindow.MinuteMs ? "HH:mm"
        : "MM-dd HH:mm";
}
