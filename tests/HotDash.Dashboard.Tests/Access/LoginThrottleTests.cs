using HotDash.Dashboard.Access;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HotDash.Dashboard.Tests.Access;

public sealed class LoginThrottleTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void IsBlocked_FiveFailuresInAMinute_BlocksUntilTheOldestLeavesTheWindow()
    {
        var throttle = Throttle();
        for (var i = 0; i < 5; i++)
        {
            Assert.False(throttle.IsBlocked("10.0.0.1", out _));
            throttle.RecordFailure("10.0.0.1");
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.True(throttle.IsBlocked("10.0.0.1", out var retryAfter));
        // The first failure was 50 s ago: it leaves the one-minute window in 10 s.
        Assert.Equal(TimeSpan.FromSeconds(10), retryAfter);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(throttle.IsBlocked("10.0.0.1", out _));
    }

    [Fact]
    public void IsBlocked_OtherClient_NotAffected()
    {
        var throttle = Throttle();
        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure("10.0.0.1");
        }

        Assert.True(throttle.IsBlocked("10.0.0.1", out _));
        Assert.False(throttle.IsBlocked("10.0.0.2", out _));
    }

    [Fact]
    public void Reset_AfterSignIn_ForgetsTheFailures()
    {
        var throttle = Throttle();
        for (var i = 0; i < 4; i++)
        {
            throttle.RecordFailure("10.0.0.1");
        }

        throttle.Reset("10.0.0.1");
        throttle.RecordFailure("10.0.0.1");

        Assert.False(throttle.IsBlocked("10.0.0.1", out _));
    }

    private LoginThrottle Throttle() => new(Options.Create(new DashboardAccessOptions()), _time);
}
