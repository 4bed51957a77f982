namespace HotDash.Grains;

/// <summary>
/// The single authority for one subject's limits across every gateway and silo (key: <see cref="QuotaSubjects"/>,
/// <c>team:ID</c>, <c>key:HASH</c> or <c>user:ID</c>). One activation in the cluster serves every admission in
/// turn, so a limit holds exactly: with <c>rpm_limit</c> 50, 50 of any number of concurrent requests are admitted.
/// </summary>
/// <remarks>
/// A request is admitted while used plus reserved stays below each limit (LiteLLM's rule for budgets): the
/// request's own estimate is not added before comparing, so one large request is never locked out, and the
/// overshoot of a limit is bounded by what is in flight when it is reached. Every limit is checked before anything
/// changes: a refused request leaves no trace. Windows are 60 one-second buckets; budget periods are fixed.
/// </remarks>
public interface IQuotaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Admits the request and reserves its request count, estimated tokens, estimated cost and a parallel slot,
    /// or refuses it and changes nothing. A reservation id already in flight is answered again without counting twice.
    /// </summary>
    Task<QuotaDecision> Reserve(QuotaRequest request);

    /// <summary>
    /// Replaces a reservation's estimates with the real usage and frees its parallel slot. The tokens count in the
    /// second the request was admitted (if still in the window), the cost in the current budget period. Unknown or
    /// already settled ids are ignored, so a retried settlement never counts twice.
    /// </summary>
    [OneWay]
    Task Settle(QuotaSettlement settlement);

    /// <summary>
    /// Frees what a reservation holds (tokens, cost, parallel slot) without usage: the upstream call failed or the
    /// client went away. The request still counts toward <c>rpm_limit</c>, as LiteLLM counts it before the call.
    /// </summary>
    [OneWay]
    Task Release(string reservationId);

    /// <summary>
    /// Undoes an admission entirely, its request count included: for a request that this subject admitted but
    /// another quota of the same request (its key, team or user) refused, so it never went upstream.
    /// </summary>
    [OneWay]
    Task Cancel(string reservationId);

    /// <summary>Sets the budget spend (the subject's and every model's) to 0 and starts a new period now; persisted before it returns.</summary>
    Task ResetBudget();

    /// <summary>The subject's spend, budget period, window counters and reservations in flight.</summary>
    Task<QuotaStatus> GetStatus();
}
