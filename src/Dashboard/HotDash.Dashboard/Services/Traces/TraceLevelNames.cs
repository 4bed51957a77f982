using System.Collections.Immutable;
using MudBlazor;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>The Langfuse level names behind <see cref="TraceLevels"/>, worst first, and how a level is shown.</summary>
public static class TraceLevelNames
{
    /// <summary>Every level, worst first (the order of the filter chips and of <see cref="HotDash.Grains.TraceQuery.Levels"/>).</summary>
    public static ImmutableArray<(TraceLevels Flag, string Name)> All { get; } =
    [
        (TraceLevels.Error, "ERROR"),
        (TraceLevels.Warning, "WARNING"),
        (TraceLevels.Default, "DEFAULT"),
        (TraceLevels.Debug, "DEBUG"),
    ];

    /// <summary>The names of the levels set in <paramref name="levels"/>, worst first.</summary>
    public static ImmutableArray<string> Names(TraceLevels levels) => [.. All.Where(l => levels.HasFlag(l.Flag)).Select(l => l.Name)];

    /// <summary>The flag of a level name (case-insensitive); <see langword="null"/> when it is none of them.</summary>
    public static TraceLevels? Parse(string? name)
    {
        foreach (var (flag, n) in All)
        {
            if (string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return flag;
            }
        }
        return null;
    }

    /// <summary>The chip colour of a trace's level: only errors and warnings stand out.</summary>
    public static Color ChipColor(string? level) => level?.ToUpperInvariant() switch
    {
        "ERROR" => Color.Error,
        "WARNING" => Color.Warning,
        _ => Color.Default,
    };
}
