namespace HotDash.Grains.Quotas;

/// <summary>One persisted second of a sliding window: requests admitted in it and their settled tokens.</summary>
[GenerateSerializer, Alias("hotdash.QuotaBucketState")]
public sealed record QuotaBucketState(
    [property: Id(0)] long Second,
    [property: Id(1)] long Requests,
    [property: Id(2)] long Tokens);
