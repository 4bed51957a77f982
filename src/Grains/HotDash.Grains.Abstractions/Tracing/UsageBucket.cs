namespace HotDash.Grains;

/// <summary>One time bucket of a usage series.</summary>
/// <param name="StartMs">The bucket's start, epoch ms (a multiple of the bucket width from the epoch).</param>
/// <param name="Totals">Its requests.</param>
[GenerateSerializer, Immutable, Alias("hotdash.UsageBucket")]
public sealed record UsageBucket([property: Id(0)] long StartMs, [property: Id(1)] UsageTotals Totals);
