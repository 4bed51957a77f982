namespace HotDash.Grains;

/// <summary>What a gateway process reports of itself.</summary>
[GenerateSerializer, Alias("hotdash.GatewayHeartbeat")]
public sealed record GatewayHeartbeat(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string Url,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset SentAt,
    [property: Id(4)] ImmutableArray<string> Models,
    [property: Id(5)] GatewayCounters Counters,
    [property: Id(6)] string Health);
