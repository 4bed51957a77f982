namespace HotDash.Grains;

/// <summary>
/// The one call a gateway makes into the silo before the upstream call (key: <see cref="DefaultKey"/>): it reserves
/// on the quota grain of every subject of the request (key, team, user) in parallel, grain to grain, so the gateway
/// pays one round trip however many quotas apply. A stateless worker, so every silo answers locally.
/// </summary>
/// <remarks>
/// All or nothing: if any subject refuses, the subjects that admitted are cancelled (<see cref="IQuotaGrain.Cancel"/>),
/// so a refused request counts nowhere. Settlement and release after the upstream call are one-way.
/// </remarks>
public interface IAdmissionGrain : IGrainWithIntegerKey
{
    /// <summary>The key every caller uses; the grain is a stateless worker, so one key serves the whole cluster.</summary>
    const long DefaultKey = 0;

    /// <summary>
    /// Reserves the request on every subject's quota in parallel. Admitted: every subject holds a reservation under
    /// <see cref="AdmissionRequest.ReservationId"/>, and the answer carries the combined header values. Refused: the
    /// first refusing subject in the request's order, its refusal, and no reservation left anywhere. No subjects
    /// (the master key) admits at once.
    /// </summary>
    Task<AdmissionDecision> Admit(AdmissionRequest request);

    /// <summary>
    /// Admits a request made with a virtual key, in one call: the key's definition (its key grain), then its team's
    /// and user's (in parallel), then the checks a key answers 401/403 for (unknown, blocked, expired, team blocked,
    /// model outside <c>models</c>; <c>aliases</c> applied first), then <see cref="Admit"/> on the key's quota, its
    /// team's, and its user's when the key has no team (LiteLLM's rule), each with the limits its definition has now.
    /// </summary>
    Task<KeyAdmissionDecision> AdmitKey(KeyAdmissionRequest request);

    /// <summary>Settles an admitted request's real usage on every subject's quota (one-way, each <see cref="IQuotaGrain.Settle"/>).</summary>
    [OneWay]
    Task Settle(AdmissionSettlement settlement);

    /// <summary>
    /// Frees an admitted request's reservation on every subject's quota without usage (one-way, each
    /// <see cref="IQuotaGrain.Release"/>): the upstream call failed or the client went away.
    /// </summary>
    [OneWay]
    Task Release(string reservationId, ImmutableArray<string> subjectKeys);
}
