using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace HotDash.Grains.Admission;

/// <summary>
/// Fans one admission out to the quota grains of its subjects, in parallel and grain to grain, so the gateway makes
/// one call into the silo however many quotas apply; settlement and release go out one-way the same way.
/// </summary>
/// <remarks>
/// A stateless worker: activations are local to the silo the call enters at, so the fan-out starts without another
/// hop. It holds no state, so it is also reentrant: an activation serves other admissions while it awaits quota
/// grains instead of queueing them behind each fan-out. All or nothing: when a subject refuses (or fails to answer),
/// every subject that may have reserved is cancelled, so a refused request counts nowhere.
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed class AdmissionGrain(IGrainFactory grainFactory, ILogger<AdmissionGrain> logger) : Grain, IAdmissionGrain
{
    public async Task<AdmissionDecision> Admit(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subjects = request.Subjects;
        if (subjects.IsDefaultOrEmpty)
        {
            return AdmissionDecision.Unlimited;
        }

        var grains = new IQuotaGrain[subjects.Length];
        var reservations = new Task<QuotaDecision>[subjects.Length];
        for (var i = 0; i < subjects.Length; i++)
        {
            grains[i] = grainFactory.GetGrain<IQuotaGrain>(subjects[i].Key);
            reservations[i] = grains[i].Reserve(new QuotaRequest(
                request.ReservationId, request.Model, request.EstimatedTokens, request.EstimatedCost, subjects[i].Limits));
        }

        try
        {
            await Task.WhenAll(reservations);
        }
        catch (Exception e)
        {
            // A subject whose answer never came may still have reserved; cancelling an id it never saw is a no-op.
            for (var i = 0; i < reservations.Length; i++)
            {
                if (!reservations[i].IsCompletedSuccessfully || reservations[i].Result.Admitted)
                {
                    grains[i].Cancel(request.ReservationId).Ignore();
                }
            }
            AdmissionLog.ReserveFailed(logger, e, request.ReservationId);
            throw;
        }

        var spend = ImmutableDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        var refused = -1;
        var requests = -1;
        var tokens = -1;
        for (var i = 0; i < reservations.Length; i++)
        {
            var decision = reservations[i].Result;
            spend[subjects[i].Key] = decision.Spend;
            if (!decision.Admitted)
            {
                if (refused < 0)
                {
                    refused = i;
                }
                continue;
            }
            if (decision.LimitRequests is not null && (requests < 0 || Remaining(decision.RemainingRequests) < Remaining(reservations[requests].Result.RemainingRequests)))
            {
                requests = i;
            }
            if (decision.LimitTokens is not null && (tokens < 0 || Remaining(decision.RemainingTokens) < Remaining(reservations[tokens].Result.RemainingTokens)))
            {
                tokens = i;
            }
        }

        if (refused >= 0)
        {
            for (var i = 0; i < reservations.Length; i++)
            {
                if (reservations[i].Result.Admitted)
                {
                    grains[i].Cancel(request.ReservationId).Ignore();
                }
            }
            var refusal = reservations[refused].Result;
            return new AdmissionDecision(false, subjects[refused].Key, refusal.RefusalType, refusal.RateLimitType, refusal.Message, refusal.RetryAfter,
                refusal.LimitRequests, refusal.RemainingRequests, refusal.ResetRequests,
                refusal.LimitTokens, refusal.RemainingTokens, refusal.ResetTokens, spend.ToImmutable());
        }

        var r = requests >= 0 ? reservations[requests].Result : null;
        var t = tokens >= 0 ? reservations[tokens].Result : null;
        return new AdmissionDecision(true, null, null, null, null, null,
            r?.LimitRequests, r?.RemainingRequests, r?.ResetRequests,
            t?.LimitTokens, t?.RemainingTokens, t?.ResetTokens, spend.ToImmutable());
    }

    public Task Settle(AdmissionSettlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        if (!settlement.SubjectKeys.IsDefaultOrEmpty)
        {
            var quota = new QuotaSettlement(settlement.ReservationId, settlement.ActualTokens, settlement.ActualCost);
            foreach (var key in settlement.SubjectKeys)
            {
                grainFactory.GetGrain<IQuotaGrain>(key).Settle(quota).Ignore();
            }
        }
        return Task.CompletedTask;
    }

    public Task Release(string reservationId, ImmutableArray<string> subjectKeys)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        if (!subjectKeys.IsDefaultOrEmpty)
        {
            foreach (var key in subjectKeys)
            {
                grainFactory.GetGrain<IQuotaGrain>(key).Release(reservationId).Ignore();
            }
        }
        return Task.CompletedTask;
    }

    // A limit reported without a remaining count is treated as not binding.
    private static long Remaining(long? remaining) => remaining ?? long.MaxValue;
}
