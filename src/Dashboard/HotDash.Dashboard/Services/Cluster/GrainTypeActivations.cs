namespace HotDash.Dashboard.Services.Cluster;

/// <summary>One grain type's activations across the cluster, with the split by silo (most first).</summary>
/// <param name="Name">The short name (<see cref="GrainTypeNames.ShortenAll"/>).</param>
/// <param name="FullName">The name Orleans reports.</param>
/// <param name="Total">Activations on all silos.</param>
/// <param name="PerSilo">Activations per silo, most first.</param>
public sealed record GrainTypeActivations(string Name, string FullName, int Total, IReadOnlyList<SiloActivations> PerSilo);
