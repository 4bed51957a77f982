namespace HotDash.Dashboard.Services.Cluster;

/// <summary>
/// What the Cluster page shows: the silos with their runtime statistics and the activations per grain type, or why the
/// cluster could not be read. Serialises to JSON (the page carries it from the prerender into the circuit).
/// </summary>
/// <param name="IsReachable">False when not even membership could be read.</param>
/// <param name="Error">Why the cluster could not be read.</param>
/// <param name="StatisticsError">Membership was read but the silos' statistics were not: why (the silos are still listed).</param>
/// <param name="Silos">Every silo membership knows, active first, newest first.</param>
/// <param name="GrainTypes">Activations per grain type, most first.</param>
/// <param name="TakenAt">When it was read.</param>
public sealed record ClusterOverview(
    bool IsReachable,
    string? Error,
    string? StatisticsError,
    IReadOnlyList<SiloDetails> Silos,
    IReadOnlyList<GrainTypeActivations> GrainTypes,
    DateTimeOffset TakenAt)
{
    /// <summary>Silos whose membership status is active.</summary>
    public int ActiveSilos => Silos.Count(s => s.Silo.IsActive);

    /// <summary>Activations of every grain type on every silo (the sum of <see cref="GrainTypes"/>).</summary>
    public int TotalActivations => GrainTypes.Sum(g => g.Total);

    /// <summary>Grain activations on <paramref name="silo"/> (the sum of its <see cref="GrainTypes"/> counts); null without any.</summary>
    public int? ActivationsOn(SiloView silo)
    {
        var counts = GrainTypes.SelectMany(t => t.PerSilo).Where(s => s.SiloAddress == silo.Address && s.SiloGeneration == silo.Generation).ToArray();
        return counts.Length == 0 ? null : counts.Sum(s => s.Count);
    }

    /// <summary>The cluster could not be read.</summary>
    public static ClusterOverview Unreachable(string error, DateTimeOffset at) => new(false, error, null, [], [], at);

    /// <summary>
    /// Joins membership (<paramref name="silos"/>), the silos' runtime statistics and the per-silo grain counts: silos
    /// keep their order, statistics attach by endpoint and generation, grain types are named short (full names where two
    /// would collide), summed over silos and sorted by total (then name); counts of zero or less are left out.
    /// </summary>
    public static ClusterOverview Build(
        IReadOnlyList<SiloView> silos,
        IReadOnlyDictionary<(string Address, int Generation), SiloRuntimeView> runtime,
        IReadOnlyList<GrainActivationCount> counts,
        DateTimeOffset at,
        string? statisticsError = null)
    {
        var details = silos.Select(s => new SiloDetails(s, runtime.GetValueOrDefault((s.Address, s.Generation)))).ToArray();
        var names = silos.GroupBy(s => (s.Address, s.Generation)).ToDictionary(g => g.Key, g => g.First().Name);
        var positive = counts.Where(c => c.Count > 0).ToArray();
        var shortNames = GrainTypeNames.ShortenAll(positive.Select(c => c.GrainType));
        var types = positive
            .GroupBy(c => c.GrainType, StringComparer.Ordinal)
            .Select(g => new GrainTypeActivations(
                shortNames[g.Key],
                g.Key,
                g.Sum(c => c.Count),
                g.GroupBy(c => (c.SiloAddress, c.SiloGeneration))
                    .Select(s => new SiloActivations(s.Key.SiloAddress, names.GetValueOrDefault(s.Key) ?? "", s.Sum(c => c.Count), s.Key.SiloGeneration))
                    .OrderByDescending(s => s.Count)
                    .ThenBy(s => s.SiloAddress, StringComparer.Ordinal)
                    .ToArray()))
            .OrderByDescending(t => t.Total)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ThenBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();
        return new ClusterOverview(true, null, statisticsError, details, types, at);
    }
}
