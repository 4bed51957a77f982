namespace HotDash.Grains.Quotas;

/// <summary>
/// A reservation whose state moved to another subject (see <see cref="IQuotaTransferGrain.MoveTo"/>): its settlement,
/// release or cancellation, sent here by a gateway that admitted it before the move, is passed on there.
/// </summary>
/// <param name="ReservationId">The call id.</param>
/// <param name="Subject">The quota grain key the reservation moved to.</param>
/// <param name="AdmittedAt">When it was admitted: the marker is forgotten when the new subject forgets the reservation.</param>
[GenerateSerializer, Alias("hotdash.QuotaForward")]
public sealed record QuotaForward(
    [property: Id(0)] string ReservationId,
    [property: Id(1)] string Subject,
    [property: Id(2)] DateTimeOffset AdmittedAt);
