namespace HotDash.Grains.Quotas;

/// <summary>
/// What one admitted request holds until it is settled, released or expires. Immutable, so the live table and the
/// persisted snapshot can share instances.
/// </summary>
/// <param name="Id">The call id.</param>
/// <param name="Model">The model whose counters it also holds; <see langword="null"/> when the model had no <c>model_*</c> limit at admission.</param>
/// <param name="Second">The Unix second of admission: the bucket its tokens land in.</param>
/// <param name="EstimatedTokens">Tokens reserved.</param>
/// <param name="EstimatedCost">Cost reserved.</param>
/// <param name="AdmittedAt">When it was admitted, for expiry.</param>
[GenerateSerializer, Alias("hotdash.QuotaReservation")]
public sealed record QuotaReservation(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Model,
    [property: Id(2)] long Second,
    [property: Id(3)] long EstimatedTokens,
    [property: Id(4)] decimal EstimatedCost,
    [property: Id(5)] DateTimeOffset AdmittedAt);
