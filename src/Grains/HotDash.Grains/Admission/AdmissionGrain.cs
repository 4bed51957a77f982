using System.Globalization;
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
/// every subject that may have reserved is cancelled, so a refused request counts nowhere. A virtual key's request
/// (<see cref="AdmitKey"/>) first reads the key's, team's and user's cached definitions from their grains (memory, no
/// store read) and makes the 401/403 checks LiteLLM's auth makes, then admits with the limits those definitions hold.
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed class AdmissionGrain(IGrainFactory grainFactory, DefinitionCache definitions, TimeProvider time, ILogger<AdmissionGrain> logger) : Grain, IAdmissionGrain
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

    public async Task<KeyAdmissionDecision> AdmitKey(KeyAdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.KeyHash);
        var requested = request.Model ?? "";
        var key = await definitions.Key(request.KeyHash);
        if (key is null)
        {
            // Only the hash is known here: the message must not carry the key, and the hash means nothing to a client.
            return Refused(KeyAdmissionStatus.UnknownKey,
                "Authentication Error, Invalid proxy server token passed. The key is not valid: no such key (token_not_found_in_db)", requested, null);
        }
        if (key.Blocked)
        {
            var which = key.KeyName is { Length: > 0 } name ? $"Key {name}" : "Key";
            return Refused(KeyAdmissionStatus.Blocked, $"Authentication Error - {which} is blocked. Update via `/key/unblock` if you're admin.", requested, key);
        }
        var now = time.GetUtcNow();
        if (key.Expires is { } expires && expires <= now)
        {
            return Refused(KeyAdmissionStatus.Expired,
                $"Authentication Error - Expired Key. Key Expiry time {Iso(expires)} and current time {Iso(now)}", requested, key);
        }

        // The user matters only to a key outside any team: LiteLLM holds personal limits and lists to those keys alone.
        var team = key.TeamId is { } teamId ? await definitions.Team(teamId) : null;
        var user = key.TeamId is null && key.UserId is { } userId ? await definitions.User(userId) : null;
        if (key.TeamId is not null && (team is null || team.Blocked))
        {
            return Refused(KeyAdmissionStatus.TeamBlocked, team is null
                ? $"Authentication Error - Team={key.TeamId} of this key no longer exists."
                : $"Authentication Error - Team={key.TeamId} is blocked. Update via `/team/unblock` if you're admin.", requested, key);
        }

        var model = key.Aliases is { Count: > 0 } aliases && aliases.TryGetValue(requested, out var aliased) && !string.IsNullOrEmpty(aliased) ? aliased : requested;
        // Access groups belong to the model the client named; once an alias sends the call elsewhere they do not apply.
        var accessNames = string.Equals(model, requested, StringComparison.Ordinal) ? request.AccessNames : [];
        if (!ModelAccess.DefersToTeam(key.Models) && !ModelAccess.Allows(key.Models, model, accessNames))
        {
            return Refused(KeyAdmissionStatus.ModelDenied,
                $"key not allowed to access model. This key can only access models={ModelAccess.Format(key.Models)}. Tried to access {model}", model, key);
        }
        if (team is not null && !ModelAccess.Allows(team.Models, model, accessNames))
        {
            return Refused(KeyAdmissionStatus.ModelDenied,
                $"team not allowed to access model. This team can only access models={ModelAccess.Format(team.Models)}. Tried to access {model}", model, key);
        }
        if (user is not null && !ModelAccess.Allows(user.Models, model, accessNames))
        {
            return Refused(KeyAdmissionStatus.ModelDenied,
                $"user not allowed to access model. This user can only access models={ModelAccess.Format(user.Models)}. Tried to access {model}", model, key);
        }

        var subjects = ImmutableArray.CreateBuilder<QuotaSubject>(2);
        subjects.Add(new QuotaSubject(QuotaSubjects.Key(key.Token), key.Limits ?? QuotaLimits.None));
        if (team is not null)
        {
            subjects.Add(new QuotaSubject(QuotaSubjects.Team(team.TeamId), team.Limits ?? QuotaLimits.None));
        }
        else if (user is not null)
        {
            subjects.Add(new QuotaSubject(QuotaSubjects.User(user.UserId), user.Limits ?? QuotaLimits.None));
        }
        var quota = await Admit(new AdmissionRequest(request.ReservationId, model, request.EstimatedTokens, request.EstimatedCost, subjects.ToImmutable()));
        if (!quota.Admitted)
        {
            // The quota grain names its subject by grain key; a client knows its key by alias or short form, not by hash.
            var message = quota.Message?.Replace(QuotaSubjects.Key(key.Token), $"key {key.KeyAlias ?? key.KeyName ?? "(virtual key)"}", StringComparison.Ordinal);
            return new KeyAdmissionDecision(KeyAdmissionStatus.RateLimited, message, quota with { Message = message }, model, [], key.TeamId, key.UserId, key.KeyAlias);
        }
        var keys = ImmutableArray.CreateBuilder<string>(subjects.Count);
        foreach (var subject in subjects)
        {
            keys.Add(subject.Key);
        }
        return new KeyAdmissionDecision(KeyAdmissionStatus.Admitted, null, quota, model, keys.MoveToImmutable(), key.TeamId, key.UserId, key.KeyAlias)
        {
            CacheControls = CacheControlsOf(key.Metadata),
        };
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

    private KeyAdmissionDecision Refused(string status, string message, string model, KeyDefinition? key)
    {
        AdmissionLog.KeyRefused(logger, status, key?.KeyName ?? "", model);
        return new KeyAdmissionDecision(status, message, null, model, [], key?.TeamId, key?.UserId, key?.KeyAlias);
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    // A limit reported without a remaining count is treated as not binding.
    private static long Remaining(long? remaining) => remaining ?? long.MaxValue;

    // The key's metadata "cache" object, as LiteLLM reads per-key cache controls; most keys have none, so no parse then.
    private static string? CacheControlsOf(string metadata)
    {
        if (string.IsNullOrEmpty(metadata) || !metadata.Contains("\"cache\"", StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(metadata);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && doc.RootElement.TryGetProperty("cache", out var cache)
                && cache.ValueKind == System.Text.Json.JsonValueKind.Object
                ? cache.GetRawText()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // the registry only stores valid JSON; an unreadable one has no controls
        }
    }
}
