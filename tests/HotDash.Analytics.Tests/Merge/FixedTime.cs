namespace HotDash.Analytics.Tests.Merge;

/// <summary>A clock that says what the test tells it.</summary>
internal sealed class FixedTime(long nowMs) : TimeProvider
{
    public long NowMs { get; set; } = nowMs;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}
