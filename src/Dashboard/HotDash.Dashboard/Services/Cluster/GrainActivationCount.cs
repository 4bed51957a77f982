namespace HotDash.Dashboard.Services.Cluster;

/// <summary>How many activations of one grain type one silo holds (one <see cref="SimpleGrainStatistic"/>).</summary>
/// <param name="GrainType">The grain type as Orleans names it (a CLR type name).</param>
/// <param name="SiloAddress">The silo's endpoint, as <see cref="SiloView.Address"/> writes it.</param>
/// <param name="SiloGeneration">The silo's generation, as <see cref="SiloView.Generation"/>.</param>
/// <param name="Count">Its activations.</param>
public sealed record GrainActivationCount(string GrainType, string SiloAddress, int SiloGeneration, int Count)
{
    /// <summary>The count of the management grain's statistic.</summary>
    public static GrainActivationCount From(SimpleGrainStatistic s) =>
        new(s.GrainType ?? "", s.SiloAddress?.Endpoint.ToString() ?? "", s.SiloAddress?.Generation ?? 0, s.ActivationCount);
}
