namespace HotDash.Grains;

/// <summary>A gateway's counters since it started.</summary>
[GenerateSerializer, Alias("hotdash.GatewayCounters")]
public sealed record GatewayCounters(
    [property: Id(0)] long Requests,
    [property: Id(1)] long Errors,
    [property: Id(2)] long Streams,
    [property: Id(3)] long PromptTokens,
    [property: Id(4)] long CompletionTokens,
    [property: Id(5)] double MeanLatencyMs);
