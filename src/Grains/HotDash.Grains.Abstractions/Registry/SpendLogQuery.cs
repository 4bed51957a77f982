namespace HotDash.Grains;

/// <summary>
/// <c>/spend/logs</c>: ledger rows matching every filter given, newest first, at most <see cref="Limit"/>.
/// <see cref="Start"/> is inclusive, <see cref="End"/> exclusive (both on <c>start_time</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("hotdash.SpendLogQuery")]
public sealed record SpendLogQuery(
    [property: Id(0)] string? KeyHash,
    [property: Id(1)] string? TeamId,
    [property: Id(2)] string? UserId,
    [property: Id(3)] string? RequestId,
    [property: Id(4)] DateTimeOffset? Start,
    [property: Id(5)] DateTimeOffset? End,
    [property: Id(6)] int Limit);
