using HotDash.Dashboard.Services.Analytics;
using HotDash.Dashboard.Services.Traces;

namespace HotDash.Dashboard.Tests.Analytics;

public sealed class UsageWindowTests
{
    // 12:34:56.789 UTC: not on a minute, so flooring shows.
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 34, 56, 789, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();
    private const long Minute = 60_000;

    [Theory]
    [InlineData(TimeRange.LastHour, 1, 1, true)]
    [InlineData(TimeRange.LastDay, 24, 15, true)]
    [InlineData(TimeRange.Last7Days, 7 * 24, 120, false)]
    [InlineData(TimeRange.Last30Days, 30 * 24, 360, false)]
    public void ToWindow_RelativeRange_EndsNowStartsOnTheMinuteWithReadableBuckets(TimeRange range, int hours, int bucketMinutes, bool live)
    {
        var window = new UsageRange(range).ToWindow(Now);

        var expectedFrom = Now.AddHours(-hours).ToUnixTimeMilliseconds();
        Assert.Equal(expectedFrom - expectedFrom % Minute, window.FromMs);
        Assert.Equal(NowMs, window.ToMs);
        Assert.Equal(bucketMinutes * Minute, window.BucketMs);
        Assert.Equal(live, window.IsLive);
        Assert.InRange(window.BucketCount, 30, UsageWindow.MaxPoints + 1);
    }

    [Fact]
    public void ToWindow_CustomRangeInsideTheLastDay_IsLive()
    {
        var window = new UsageRange(TimeRange.Custom, Now.AddHours(-3), Now.AddHours(-1)).ToWindow(Now);

        Assert.True(window.IsLive);
        Assert.Equal(Minute, window.BucketMs); // 120 minutes: 120 one-minute points
    }

    [Fact]
    public void ToWindow_CustomRangeStartingBeforeTheLastDay_ReadsTheStoreOnly()
    {
        var window = new UsageRange(TimeRange.Custom, Now.AddDays(-2), Now).ToWindow(Now);

        Assert.False(window.IsLive);
        Assert.Equal(30 * Minute, window.BucketMs); // 48 h / 120 = 24 min -> 30 min
    }

    [Theory]
    [InlineData(null, "2026-12-01T00:00:00Z", "Pick a start and an end.")]
    [InlineData("2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z", "The end must be after the start.")]
    [InlineData("2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z", "The end must be after the start.")]
    public void Problem_BadCustomRange_SaysWhatIsWrongAndHasNoWindow(string? from, string to, string problem)
    {
        var range = new UsageRange(TimeRange.Custom, from is null ? null : DateTimeOffset.Parse(from), DateTimeOffset.Parse(to));

        Assert.Equal(problem, range.Problem);
        Assert.Throws<ArgumentException>(() => range.ToWindow(Now));
    }

    [Theory]
    [InlineData(30, 1)]            // half an hour: 30 one-minute points
    [InlineData(120, 1)]           // 120 points exactly
    [InlineData(121, 2)]
    [InlineData(600, 5)]
    [InlineData(24 * 60, 15)]
    [InlineData(90 * 24 * 60, 1440)] // 90 days / 120 = 18 h -> 1 day
    [InlineData(2 * 365 * 24 * 60, 10080)]
    public void BucketWidthFor_Span_FinestLadderWidthWithinMaxPoints(long spanMinutes, long expectedMinutes)
    {
        var width = UsageWindow.BucketWidthFor(spanMinutes * Minute);

        Assert.Equal(expectedMinutes * Minute, width);
        Assert.True((spanMinutes * Minute + width - 1) / width <= UsageWindow.MaxPoints);
    }

    [Fact]
    public void BucketStarts_Window_AlignedToTheWidthFromTheEpochAndCoveringTheWindow()
    {
        var window = new UsageRange(TimeRange.LastDay).ToWindow(Now);

        var starts = window.BucketStarts().ToList();

        Assert.All(starts, s => Assert.Equal(0, s % window.BucketMs));
        Assert.True(starts[0] <= window.FromMs && window.FromMs < starts[0] + window.BucketMs);
        Assert.True(starts[^1] < window.ToMs && window.ToMs <= starts[^1] + window.BucketMs);
        Assert.Equal(window.BucketCount, starts.Count);
        Assert.Equal(97, starts.Count); // 24 h of 15-minute buckets, the first and last partial
    }
}
