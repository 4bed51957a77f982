using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Quotas;

/// <summary>
/// One subject's quota (key <c>team:ID</c>, <c>key:HASH</c> or <c>user:ID</c>): the single authority for its limits
/// across every gateway and silo. The activation is single-threaded, so admission is exact without locks.
/// </summary>
/// <remarks>
/// <para>Admission rule, for every limit: admitted while used + reserved is below the limit, this request's own
/// estimate not added. RPM: requests admitted in the sliding 60 s window (a request counts at admission, and a
/// release does not uncount it) &lt; <c>rpm_limit</c>. TPM: settled tokens of the window + estimated tokens of every
/// reservation in flight &lt; <c>tpm_limit</c>. Parallel: reservations in flight &lt; <c>max_parallel_requests</c>.
/// Budget: spend of the current period + estimated cost in flight &lt; <c>max_budget</c>. <c>model_*</c> limits the
/// same over that model's counters only. So a request larger than what is left is still admitted once (one large
/// request is never locked out by its own estimate), and a limit is overshot by at most what was in flight when it
/// was reached plus the last admission's estimate, and by settlements that exceed their estimates.</para>
/// <para>Persistence: write-behind, coalesced. Every change schedules a write of a snapshot of the whole state; at
/// most one write is in flight, at most one starts per <see cref="WriteInterval"/>, and whatever changed meanwhile
/// goes in the next one. So settled spend reaches storage within an interval and a write latency of the settlement, the hot path never waits on storage (an awaited write per
/// call would also serialise the grain behind storage: 25-50 us per memory write, far more for Redis), and under
/// load the write rate is bounded by the storage's latency, not by the request rate. ResetBudget and deactivation
/// wait for their write. A kill -9 of the silo loses only the changes since the last completed write: request counts
/// and reservations admitted and settlements made during the write in flight (or while storage was failing).
/// Settled spend whose write completed is never lost, and nothing is counted twice: a lost reservation's later
/// settlement is an unknown id, ignored (the spend ledger still records it).</para>
/// <para>Moves (<see cref="IQuotaTransferGrain"/>): a regenerated key's state moves to its new hash's grain and is
/// added to what that grain already counts; the old grain keeps only a marker per moved reservation and passes their
/// settlements, releases and cancellations on, so a request in flight during the rotation still counts once, on the
/// new key. A request admitted with the old key after the move (a silo's definition cache may still know it for
/// <c>DefinitionCache.Lifetime</c>) counts only on the old subject.</para>
/// </remarks>
public sealed class QuotaGrain(
    [PersistentState("quota", "hotdash")] IPersistentState<QuotaState> state,
    TimeProvider time,
    ILogger<QuotaGrain> logger) : Grain, IQuotaGrain, IQuotaTransferGrain
{
    /// <summary>
    /// How long a reservation may stay unsettled before it is released. Longer than any request a gateway lets run
    /// (long streams included); short enough that the parallel slots and reserved tokens of a gateway that died
    /// come back within minutes, not never.
    /// </summary>
    public static readonly TimeSpan ReservationLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How often the timer looks for expired reservations (and retries a failed write).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long after expiry a late settlement still counts its usage (once).</summary>
    public static readonly TimeSpan LateSettlementWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// The least time between two state writes of one grain. Under load a grain changes thousands of times a second;
    /// writing each change would cost more silo CPU than the admissions themselves, so changes coalesce into at most
    /// one write per interval. This bounds what a kill -9 can lose to the last interval's changes.
    /// </summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(100);

    // A dead gateway's reservations are remembered for late settlement up to this many, so memory stays bounded.
    private const int MaxExpiredRemembered = 10_000;

    private UsageCounters _subject = new();
    private readonly Dictionary<string, UsageCounters> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuotaReservation> _reservations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuotaReservation> _expired = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuotaForward> _forwards = new(StringComparer.Ordinal);
    private string _key = "";
    private DateTimeOffset _lastNow = DateTimeOffset.MinValue;
    private Task? _writing;
    private bool _dirty;
    private long _lastWriteStarted;
    private CancellationTokenSource? _writeDelay;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        Restore(state.State);
        this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(SweepInterval, SweepInterval) { Interleave = false, KeepAlive = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(deactivating: true);
        }
        catch (Exception e)
        {
            QuotaLog.WriteFailed(logger, e, _key);
        }
    }

    public Task<QuotaDecision> Reserve(QuotaRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.ReservationId);
        var limits = request.Limits ?? QuotaLimits.None;
        var model = request.Model ?? "";
        var now = Now();
        var second = now.ToUnixTimeSeconds();

        var changed = _subject.Budget.Roll(now, limits.BudgetDuration);
        var modelRpm = Lookup(limits.ModelRpmLimit, model);
        var modelTpm = Lookup(limits.ModelTpmLimit, model);
        var modelBudget = limits.ModelMaxBudget is { Count: > 0 } budgets && budgets.TryGetValue(model, out var b) ? b : null;
        UsageCounters? perModel = null;
        if (modelRpm is not null || modelTpm is not null || modelBudget is not null)
        {
            perModel = ModelCounters(model);
            changed |= perModel.Budget.Roll(now, modelBudget?.TimePeriod);
        }

        if (_reservations.ContainsKey(request.ReservationId))
        {
            // A retried admission: already counted once.
            return Task.FromResult(Decide(null, limits, perModel, modelRpm, modelTpm, now, second));
        }

        if (Check(limits, model, perModel, modelRpm, modelTpm, modelBudget, now, second) is { } refusal)
        {
            if (changed)
            {
                ScheduleWrite();
            }
            QuotaLog.Refused(logger, _key, refusal.RateLimitType, refusal.Message);
            return Task.FromResult(Decide(refusal, limits, perModel, modelRpm, modelTpm, now, second));
        }

        var reservation = new QuotaReservation(
            request.ReservationId,
            perModel is null ? null : model,
            second,
            Math.Max(0, request.EstimatedTokens),
            Math.Max(0m, request.EstimatedCost),
            now);
        _reservations.Add(reservation.Id, reservation);
        _subject.Admit(reservation);
        perModel?.Admit(reservation);
        ScheduleWrite();
        return Task.FromResult(Decide(null, limits, perModel, modelRpm, modelTpm, now, second));
    }

    public Task Settle(QuotaSettlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        var now = Now();
        var second = now.ToUnixTimeSeconds();
        var tokens = Math.Max(0, settlement.ActualTokens);
        var cost = Math.Max(0m, settlement.ActualCost);
        var id = settlement.ReservationId ?? "";
        if (_reservations.Remove(id, out var r))
        {
            _subject.Settle(r, tokens, cost, now, second);
            ModelOf(r)?.Settle(r, tokens, cost, now, second);
        }
        else if (_expired.Remove(id, out r))
        {
            _subject.SettleLate(r, tokens, cost, now, second);
            if (r.Model is { } m)
            {
                ModelCounters(m).SettleLate(r, tokens, cost, now, second);
            }
            QuotaLog.LateSettlement(logger, _key, id);
        }
        else if (Forwarded(id) is { } target)
        {
            target.Settle(settlement).Ignore();
        }
        else
        {
            QuotaLog.UnknownReservation(logger, _key, nameof(Settle), settlement.ReservationId);
            return Task.CompletedTask;
        }
        ScheduleWrite();
        return Task.CompletedTask;
    }

    public Task Release(string reservationId)
    {
        var second = Now().ToUnixTimeSeconds();
        var id = reservationId ?? "";
        if (_reservations.Remove(id, out var r))
        {
            _subject.Release(r, second);
            ModelOf(r)?.Release(r, second);
        }
        else if (!_expired.Remove(id))
        {
            if (Forwarded(id) is not { } target)
            {
                QuotaLog.UnknownReservation(logger, _key, nameof(Release), reservationId);
                return Task.CompletedTask;
            }
            target.Release(id).Ignore();
        }
        ScheduleWrite();
        return Task.CompletedTask;
    }

    public Task Cancel(string reservationId)
    {
        var second = Now().ToUnixTimeSeconds();
        var id = reservationId ?? "";
        if (!_reservations.Remove(id, out var r))
        {
            if (Forwarded(id) is { } target)
            {
                target.Cancel(id).Ignore();
                ScheduleWrite();
            }
            else
            {
                QuotaLog.UnknownReservation(logger, _key, nameof(Cancel), reservationId);
            }
            return Task.CompletedTask;
        }
        _subject.Cancel(r, second);
        ModelOf(r)?.Cancel(r, second);
        ScheduleWrite();
        return Task.CompletedTask;
    }

    public async Task ResetBudget()
    {
        var now = Now();
        _subject.Budget.Reset(now);
        foreach (var counters in _models.Values)
        {
            counters.Budget.Reset(now);
        }
        _dirty = true;
        QuotaLog.BudgetReset(logger, _key);
        await FlushAsync();
    }

    public async Task MoveTo(string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        if (string.Equals(subject, _key, StringComparison.Ordinal))
        {
            throw new ArgumentException($"quota {_key} cannot move to itself", nameof(subject));
        }
        // Non-reentrant: no admission or settlement runs here between the snapshot and the clear below.
        var moved = Snapshot();
        await GrainFactory.GetGrain<IQuotaTransferGrain>(subject).Absorb(moved);

        foreach (var r in moved.Reservations.Concat(moved.Expired))
        {
            _forwards[r.Id] = new QuotaForward(r.Id, subject, r.AdmittedAt);
        }
        _subject = new UsageCounters();
        _models.Clear();
        _reservations.Clear();
        _expired.Clear();
        _dirty = true;
        QuotaLog.Moved(logger, _key, subject, moved.Reservations.Count);
        try
        {
            await FlushAsync();
        }
        catch (Exception e)
        {
            // The state is already the other subject's; the cleared state here is written behind.
            QuotaLog.WriteFailed(logger, e, _key);
        }
    }

    public async Task Absorb(QuotaState moved)
    {
        ArgumentNullException.ThrowIfNull(moved);
        var now = Now();
        var second = now.ToUnixTimeSeconds();
        _subject.Merge(moved.Subject, now, second);
        foreach (var (name, usage) in moved.Models ?? [])
        {
            ModelCounters(name).Merge(usage, now, second);
        }
        // The moved reservations are live (their settlements are passed on to here), whatever a crash left in doubt here.
        foreach (var r in moved.Reservations ?? [])
        {
            if (r is not null && !_expired.ContainsKey(r.Id) && _reservations.TryAdd(r.Id, r))
            {
                _subject.Restore(r, second);
                if (r.Model is { } m)
                {
                    ModelCounters(m).Restore(r, second);
                }
            }
        }
        foreach (var r in moved.Expired ?? [])
        {
            if (r is not null && _expired.Count < MaxExpiredRemembered && !_reservations.ContainsKey(r.Id))
            {
                _expired.TryAdd(r.Id, r);
            }
        }
        _dirty = true;
        QuotaLog.Absorbed(logger, _key, moved.Reservations?.Count ?? 0);
        try
        {
            await FlushAsync();
        }
        catch (Exception e)
        {
            // Taken in memory all the same: failing here would leave the state counted on both subjects.
            QuotaLog.WriteFailed(logger, e, _key);
        }
    }

    public Task<QuotaStatus> GetStatus()
    {
        var now = Now();
        var second = now.ToUnixTimeSeconds();
        _subject.Window.Totals(second, out var requests, out var tokens);
        var (spend, start, resetAt) = _subject.Budget.View(now);
        var models = ImmutableDictionary.CreateBuilder<string, QuotaModelStatus>(StringComparer.Ordinal);
        foreach (var (name, counters) in _models)
        {
            counters.Window.Totals(second, out var modelRequests, out var modelTokens);
            var (modelSpend, _, modelResetAt) = counters.Budget.View(now);
            models[name] = new QuotaModelStatus(modelRequests, modelTokens, counters.InFlight, counters.ReservedTokens, counters.ReservedCost, modelSpend, modelResetAt);
        }
        return Task.FromResult(new QuotaStatus(_key, spend, start, resetAt, requests, tokens,
            _subject.InFlight, _subject.ReservedTokens, _subject.ReservedCost, models.ToImmutable()));
    }

    // Every limit is checked before anything changes, so a refusal leaves no half-reservation. A spent budget
    // comes first: waiting a few seconds does not cure it, so it is the more useful answer.
    private Refusal? Check(QuotaLimits limits, string model, UsageCounters? perModel, long? modelRpm, long? modelTpm,
        ModelBudget? modelBudget, DateTimeOffset now, long second)
    {
        if (limits.MaxBudget is { } maxBudget && _subject.Budget.Spend + _subject.ReservedCost >= maxBudget)
        {
            return new Refusal(QuotaRefusalType.BudgetExceeded, QuotaRateLimitType.Budget,
                $"Budget has been exceeded for {_key}: spend {_subject.Budget.Spend} (+{_subject.ReservedCost} reserved in flight), max_budget {maxBudget}{ResetNote(_subject.Budget)}",
                _subject.Budget.ResetAt - now);
        }
        if (modelBudget is not null && perModel is not null && perModel.Budget.Spend + perModel.ReservedCost >= modelBudget.BudgetLimit)
        {
            return new Refusal(QuotaRefusalType.BudgetExceeded, QuotaRateLimitType.ModelBudget,
                $"Budget has been exceeded for {_key} on model {model}: spend {perModel.Budget.Spend} (+{perModel.ReservedCost} reserved in flight), model_max_budget {modelBudget.BudgetLimit}{ResetNote(perModel.Budget)}",
                perModel.Budget.ResetAt - now);
        }
        if (limits.MaxParallelRequests is { } maxParallel && _subject.InFlight >= maxParallel)
        {
            // When a request in flight finishes is unknown: suggest a short wait.
            return new Refusal(QuotaRefusalType.Throttling, QuotaRateLimitType.ParallelRequests,
                $"Max parallel request limit reached for {_key}: max_parallel_requests {maxParallel}, {_subject.InFlight} in flight",
                TimeSpan.FromSeconds(1));
        }
        if (limits.RpmLimit is not null || limits.TpmLimit is not null)
        {
            _subject.Window.Totals(second, out var requests, out var tokens);
            if (limits.RpmLimit is { } rpm && requests >= rpm)
            {
                return new Refusal(QuotaRefusalType.Throttling, QuotaRateLimitType.Requests,
                    $"Rate limit reached for {_key}: rpm_limit {rpm}, {requests} requests in the last {SlidingWindow.Length} s",
                    _subject.Window.RequestsFreeIn(requests - rpm + 1, now) ?? SlidingWindow.Span);
            }
            if (limits.TpmLimit is { } tpm && tokens + _subject.ReservedTokens >= tpm)
            {
                return new Refusal(QuotaRefusalType.Throttling, QuotaRateLimitType.Tokens,
                    $"Rate limit reached for {_key}: tpm_limit {tpm}, {tokens} tokens used in the last {SlidingWindow.Length} s and {_subject.ReservedTokens} reserved in flight",
                    TokensRetryIn(_subject, tokens, tpm, now));
            }
        }
        if (perModel is not null && (modelRpm is not null || modelTpm is not null))
        {
            perModel.Window.Totals(second, out var requests, out var tokens);
            if (modelRpm is { } rpm && requests >= rpm)
            {
                return new Refusal(QuotaRefusalType.Throttling, QuotaRateLimitType.ModelRequests,
                    $"Rate limit reached for {_key} on model {model}: model_rpm_limit {rpm}, {requests} requests in the last {SlidingWindow.Length} s",
                    perModel.Window.RequestsFreeIn(requests - rpm + 1, now) ?? SlidingWindow.Span);
            }
            if (modelTpm is { } tpm && tokens + perModel.ReservedTokens >= tpm)
            {
                return new Refusal(QuotaRefusalType.Throttling, QuotaRateLimitType.ModelTokens,
                    $"Rate limit reached for {_key} on model {model}: model_tpm_limit {tpm}, {tokens} tokens used in the last {SlidingWindow.Length} s and {perModel.ReservedTokens} reserved in flight",
                    TokensRetryIn(perModel, tokens, tpm, now));
            }
        }
        return null;
    }

    // When enough settled tokens have left the window; if the reservations in flight alone reach the limit, their
    // settlements land in buckets that leave within a window, so a window is the honest upper guess.
    private static TimeSpan TokensRetryIn(UsageCounters counters, long tokens, long limit, DateTimeOffset now) =>
        counters.Window.TokensFreeIn(tokens + counters.ReservedTokens - limit + 1, now) ?? SlidingWindow.Span;

    private static string ResetNote(BudgetPeriod budget) => budget.ResetAt is { } at ? $"; resets at {at:O}" : "";

    // The header values: the subject's rpm/tpm limits, else the model's (a key limited only per model still gets headers).
    private QuotaDecision Decide(Refusal? refusal, QuotaLimits limits, UsageCounters? perModel, long? modelRpm, long? modelTpm, DateTimeOffset now, long second)
    {
        long? limitRequests = null, remainingRequests = null, limitTokens = null, remainingTokens = null;
        TimeSpan? resetRequests = null, resetTokens = null;

        var requestCounters = limits.RpmLimit is not null ? _subject : modelRpm is not null ? perModel : null;
        if ((limits.RpmLimit ?? modelRpm) is { } requestLimit && requestCounters is not null)
        {
            requestCounters.Window.Totals(second, out var requests, out _);
            limitRequests = requestLimit;
            remainingRequests = Math.Max(0, requestLimit - requests);
            resetRequests = requestCounters.Window.RequestsResetIn(now);
        }
        var tokenCounters = limits.TpmLimit is not null ? _subject : modelTpm is not null ? perModel : null;
        if ((limits.TpmLimit ?? modelTpm) is { } tokenLimit && tokenCounters is not null)
        {
            tokenCounters.Window.Totals(second, out _, out var tokens);
            limitTokens = tokenLimit;
            remainingTokens = Math.Max(0, tokenLimit - tokens - tokenCounters.ReservedTokens);
            resetTokens = tokenCounters.Window.TokensResetIn(now);
        }
        var (spend, _, resetAt) = _subject.Budget.View(now);
        return new QuotaDecision(
            refusal is null,
            refusal?.RefusalType,
            refusal?.RateLimitType,
            refusal?.Message,
            refusal?.RetryAfter,
            limitRequests, remainingRequests, resetRequests,
            limitTokens, remainingTokens, resetTokens,
            spend, resetAt);
    }

    // Expires reservations a gateway never settled (it died, or lost the call) and forgets old expired ones.
    private Task Sweep(CancellationToken cancellationToken)
    {
        var now = Now();
        var second = now.ToUnixTimeSeconds();
        var changed = false;

        List<QuotaReservation>? expired = null;
        foreach (var r in _reservations.Values)
        {
            if (now - r.AdmittedAt >= ReservationLifetime)
            {
                (expired ??= []).Add(r);
            }
        }
        if (expired is not null)
        {
            foreach (var r in expired)
            {
                _reservations.Remove(r.Id);
                _subject.Release(r, second);
                ModelOf(r)?.Release(r, second);
                if (_expired.Count < MaxExpiredRemembered)
                {
                    _expired[r.Id] = r;
                }
            }
            QuotaLog.ReservationsExpired(logger, _key, expired.Count, ReservationLifetime.TotalMinutes);
            changed = true;
        }

        List<string>? forget = null;
        foreach (var (id, r) in _expired)
        {
            if (now - r.AdmittedAt >= ReservationLifetime + LateSettlementWindow)
            {
                (forget ??= []).Add(id);
            }
        }
        foreach (var id in forget ?? [])
        {
            _expired.Remove(id);
            changed = true;
        }

        // The subject a reservation moved to forgets it by then, so passing its settlement on would do nothing.
        forget?.Clear();
        foreach (var (id, f) in _forwards)
        {
            if (now - f.AdmittedAt >= ReservationLifetime + LateSettlementWindow)
            {
                (forget ??= []).Add(id);
            }
        }
        foreach (var id in forget ?? [])
        {
            _forwards.Remove(id);
            changed = true;
        }

        // Models whose limits went away leave no counters behind once nothing of theirs counts any more.
        List<string>? idle = null;
        foreach (var (name, counters) in _models)
        {
            if (counters.IsIdle(now, second))
            {
                (idle ??= []).Add(name);
            }
        }
        foreach (var name in idle ?? [])
        {
            _models.Remove(name);
            changed = true;
        }

        if (changed || _dirty)
        {
            ScheduleWrite();
        }
        return Task.CompletedTask;
    }

    private void ScheduleWrite()
    {
        _dirty = true;
        if (_writing is null || _writing.IsCompleted)
        {
            _writing = WriteBehindAsync();
        }
    }

    // Runs on the activation's scheduler, between (never during) the grain's turns: at most one write in flight,
    // the latest state written next. A failure leaves the state dirty for the next change or timer tick to retry,
    // rather than retrying in a tight loop against a storage that is down.
    private async Task WriteBehindAsync()
    {
        // Off the calling turn: the admission that scheduled the write answers before the snapshot is taken.
        await Task.Yield();
        // Paced by the real clock, not the grain's TimeProvider: this is about storage load, not quota time.
        var wait = WriteInterval - Stopwatch.GetElapsedTime(_lastWriteStarted);
        if (_lastWriteStarted != 0 && wait > TimeSpan.Zero)
        {
            using var delay = new CancellationTokenSource();
            _writeDelay = delay;
            // A flush cancels the wait; the write then happens at once (no exception: the cancellation is expected).
            await Task.Delay(wait, delay.Token).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
            _writeDelay = null;
        }
        while (_dirty)
        {
            _dirty = false;
            _lastWriteStarted = Stopwatch.GetTimestamp();
            state.State = Snapshot();
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception e)
            {
                _dirty = true;
                QuotaLog.WriteFailed(logger, e, _key);
                return;
            }
        }
    }

    // Waits for the write in flight, then writes what is left; throws if that write fails. A deactivation's write is
    // made even when nothing changed, to mark the state as left in order (see QuotaState.Deactivated).
    private async Task FlushAsync(bool deactivating = false)
    {
        if (_writing is { IsCompleted: false } inFlight)
        {
            _writeDelay?.Cancel();
            await inFlight;
        }
        if (!_dirty && !deactivating)
        {
            return;
        }
        _dirty = false;
        state.State = Snapshot();
        state.State.Deactivated = deactivating;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }
    }

    // A fresh object graph each time (reservations are immutable and shared), so the storage may serialise it
    // whenever it likes while the grain goes on changing its live counters.
    private QuotaState Snapshot()
    {
        var second = Now().ToUnixTimeSeconds();
        var models = new Dictionary<string, QuotaUsageState>(_models.Count, StringComparer.Ordinal);
        foreach (var (name, counters) in _models)
        {
            models[name] = counters.Export(second);
        }
        return new QuotaState
        {
            Subject = _subject.Export(second),
            Models = models,
            Reservations = [.. _reservations.Values],
            Expired = [.. _expired.Values],
            Forwards = [.. _forwards.Values],
        };
    }

    private void Restore(QuotaState? saved)
    {
        if (saved is null)
        {
            return;
        }
        var second = Now().ToUnixTimeSeconds();
        _subject.Import(saved.Subject, second);
        foreach (var (name, usage) in saved.Models ?? [])
        {
            ModelCounters(name).Import(usage, second);
        }
        // After a crash (the last write was not a deactivation's) the settlements and releases of the reservations in
        // flight may have been sent while no silo held this grain, and are lost: holding their slots, tokens and cost
        // until they expire would refuse requests for minutes. They are let go now; a settlement that still comes
        // counts its usage once, as for an expired reservation. Their requests stay counted in the window.
        var inDoubt = !saved.Deactivated;
        foreach (var r in saved.Reservations ?? [])
        {
            if (r is not null && inDoubt)
            {
                if (_expired.Count < MaxExpiredRemembered)
                {
                    _expired.TryAdd(r.Id, r);
                }
            }
            else if (r is not null && _reservations.TryAdd(r.Id, r))
            {
                _subject.Restore(r, second);
                if (r.Model is { } m)
                {
                    ModelCounters(m).Restore(r, second);
                }
            }
        }
        foreach (var r in saved.Expired ?? [])
        {
            if (r is not null)
            {
                _expired.TryAdd(r.Id, r);
            }
        }
        foreach (var f in saved.Forwards ?? [])
        {
            if (f is not null)
            {
                _forwards.TryAdd(f.ReservationId, f);
            }
        }
        if (saved.Deactivated)
        {
            // Live again: a crash from here on must find a snapshot that says so, not the orderly one.
            ScheduleWrite();
        }
    }

    private UsageCounters ModelCounters(string model)
    {
        if (!_models.TryGetValue(model, out var counters))
        {
            counters = new UsageCounters();
            _models.Add(model, counters);
        }
        return counters;
    }

    // A reservation that moved to another subject: the marker goes (one pass-on per id), the other subject's grain comes back.
    private IQuotaGrain? Forwarded(string id)
    {
        if (!_forwards.Remove(id, out var forward))
        {
            return null;
        }
        QuotaLog.Forwarded(logger, _key, id, forward.Subject);
        return GrainFactory.GetGrain<IQuotaGrain>(forward.Subject);
    }

    private UsageCounters? ModelOf(QuotaReservation r) =>
        r.Model is { } m && _models.TryGetValue(m, out var counters) ? counters : null;

    private static long? Lookup(ImmutableDictionary<string, long>? limits, string model) =>
        limits is { Count: > 0 } && limits.TryGetValue(model, out var limit) ? limit : null;

    // Time never runs backwards inside one activation, so a clock step back cannot corrupt the ring of buckets.
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        if (now < _lastNow)
        {
            return _lastNow;
        }
        _lastNow = now;
        return now;
    }

    private sealed record Refusal(string RefusalType, string RateLimitType, string Message, TimeSpan? RetryAfter);
}
