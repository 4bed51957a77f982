namespace HotDash.Grains.Caching;

/// <summary>How each semantic index grain sizes and persists itself (<see cref="SemanticIndexServiceCollectionExtensions.AddHotDashSemanticIndex"/>).</summary>
public sealed class SemanticIndexOptions
{
    /// <summary>The most prompts one index (one model group in one scope) holds, default 100,000; past it the oldest go.</summary>
    public int MaxRows { get; set; } = 100_000;

    /// <summary>A write of the changed pages starts once this many rows were added since the last one (default 256).</summary>
    public int WriteEveryAdds { get; set; } = 256;

    /// <summary>
    /// Changes are written at least this often (default 2 s), and expired rows are dropped on the same beat. This bounds
    /// what a crash loses: the rows added (and removals made) within it.
    /// </summary>
    public TimeSpan WriteInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What is wrong with these options, or null when they are usable.</summary>
    public string? Validate()
    {
        if (MaxRows < 1 || MaxRows > 10_000_000)
        {
            return $"{nameof(MaxRows)} must be from 1 to 10,000,000 (is {MaxRows})";
        }
        if (WriteEveryAdds < 1)
        {
            return $"{nameof(WriteEveryAdds)} must be at least 1 (is {WriteEveryAdds})";
        }
        if (WriteInterval <= TimeSpan.Zero || WriteInterval > TimeSpan.FromMinutes(10))
        {
            return $"{nameof(WriteInterval)} must be positive and at most 10 minutes (is {WriteInterval})";
        }
        return null;
    }
}
