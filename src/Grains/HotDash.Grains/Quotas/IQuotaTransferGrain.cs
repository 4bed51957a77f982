namespace HotDash.Grains.Quotas;

/// <summary>
/// Moves a subject's quota state to another subject: a regenerated key's counters (window, budget period and spend,
/// per-model counters, reservations) follow it to its new hash, so rotating a key does not reset its limits.
/// Silo-internal (the registry calls it); clients never do, so it is not in the abstractions.
/// </summary>
public interface IQuotaTransferGrain : IGrainWithStringKey
{
    /// <summary>
    /// Hands this subject's state to <paramref name="subject"/> (added to whatever that subject already counts) and
    /// then clears it here; settlements, releases and cancellations of the moved reservations that still arrive here
    /// are forwarded there. Persisted on both sides before it returns (a failed write is retried behind). Throws
    /// when the other subject could not take the state: nothing was moved and nothing cleared.
    /// </summary>
    Task MoveTo(string subject);

    /// <summary>
    /// Adds a moved subject's state to this one: window buckets and spend are added, the earlier running budget period
    /// is kept, reservations in flight and expired ones are taken over. Reservation ids already here are not taken twice.
    /// </summary>
    Task Absorb(QuotaState moved);
}
