namespace HotDash.Registry.Tests;

/// <summary>
/// A clock the test sets (this project has no FakeTimeProvider package): the store stamps created_at/updated_at
/// with it, so ordering and round trips do not depend on the wall clock. Whole seconds: timestamptz keeps microseconds.
/// </summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset Now => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
