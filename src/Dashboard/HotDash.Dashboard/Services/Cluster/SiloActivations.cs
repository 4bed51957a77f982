namespace HotDash.Dashboard.Services.Cluster;

/// <summary>The activations of one grain type on one silo.</summary>
/// <param name="SiloAddress">The silo's endpoint.</param>
/// <param name="SiloName">Its name from membership; empty when membership does not list it.</param>
/// <param name="Count">Activations.</param>
/// <param name="SiloGeneration">Its generation (an endpoint restarted is another silo).</param>
public sealed record SiloActivations(string SiloAddress, string SiloName, int Count, int SiloGeneration = 0);
