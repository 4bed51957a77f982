namespace HotDash.Dashboard.Services.Analytics;

/// <summary>One panel's data, where it came from, and what could not be read for it.</summary>
/// <param name="Value">The data (empty when nothing could be read).</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Error">What failed, or <see langword="null"/>; with <see cref="Source"/> other than <see cref="UsageSource.None"/> the data is partial.</param>
public sealed record UsagePanel<T>(T Value, UsageSource Source, string? Error)
{
    /// <summary>Nothing could be read: show <see cref="Error"/> instead of the panel.</summary>
    public bool Failed => Source == UsageSource.None && Error is not null;
}
