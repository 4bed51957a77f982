using HotDash.Dashboard.Services.Traces;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary>The range the overview's selector offers: a relative one, or a custom [<see cref="From"/>, <see cref="To"/>).</summary>
/// <param name="Kind">Which range; <see cref="TimeRange.All"/> is not offered (an unbounded series has no bucket width).</param>
/// <param name="From">Start of a <see cref="TimeRange.Custom"/> range (inclusive).</param>
/// <param name="To">End of a <see cref="TimeRange.Custom"/> range (exclusive).</param>
public sealed record UsageRange(TimeRange Kind, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>The default: the last 24 hours.</summary>
    public static UsageRange Default { get; } = new(TimeRange.LastDay);

    /// <summary>What is wrong with the range, or <see langword="null"/> when it can be shown.</summary>
    public string? Problem => Kind switch
    {
        TimeRange.Custom when From is null || To is null => "Pick a start and an end.",
        TimeRange.Custom when To <= From => "The end must be after the start.",
        TimeRange.All => "Pick a range: the overview needs a start and an end.",
        _ => null,
    };

    /// <summary>The range as people say it.</summary>
    public string Label => Kind switch
    {
        TimeRange.LastHour => "the last hour",
        TimeRange.LastDay => "the last 24 hours",
        TimeRange.Last7Days => "the last 7 days",
        TimeRange.Last30Days => "the last 30 days",
        _ => "the selected range",
    };

    /// <summary>The window the range means at <paramref name="now"/>; throws <see cref="ArgumentException"/> when <see cref="Problem"/> is set.</summary>
    public UsageWindow ToWindow(DateTimeOffset now)
    {
        if (Problem is { } problem)
        {
            throw new ArgumentException(problem);
        }
        var nowMs = now.ToUnixTimeMilliseconds();
        var span = Kind switch
        {
            TimeRange.LastHour => TimeSpan.FromHours(1),
            TimeRange.LastDay => TimeSpan.FromDays(1),
            TimeRange.Last7Days => TimeSpan.FromDays(7),
            TimeRange.Last30Days => TimeSpan.FromDays(30),
            _ => (TimeSpan?)null,
        };
        return span is { } s
            ? UsageWindow.Create(nowMs - (long)s.TotalMilliseconds, nowMs, nowMs)
            : UsageWindow.Create(From!.Value.ToUnixTimeMilliseconds(), To!.Value.ToUnixTimeMilliseconds(), nowMs);
    }
}
