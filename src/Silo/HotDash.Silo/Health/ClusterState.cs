namespace HotDash.Silo.Health;

/// <summary>The cluster in the readiness report.</summary>
/// <param name="ActiveSilos">Active silos according to the management grain; 0 when it could not be asked.</param>
public sealed record ClusterState(int ActiveSilos);
