namespace HotDash.Dashboard.Services.Analytics;

/// <summary>The outcome of one read: its value, or why it failed.</summary>
/// <param name="Ok">It answered.</param>
/// <param name="Value">The answer (default when it failed).</param>
/// <param name="Error">Why it failed, for people.</param>
public sealed record UsageRead<T>(bool Ok, T? Value, string? Error)
{
    /// <summary>An answer.</summary>
    public static UsageRead<T> Success(T value) => new(true, value, null);

    /// <summary>A failure.</summary>
    public static UsageRead<T> Failure(string error) => new(false, default, error);
}
