namespace HotDash.Grains.Quotas;

/// <summary>The live counters of a subject or of one of its models: the window, what is in flight, the budget.</summary>
internal sealed class UsageCounters
{
    public SlidingWindow Window { get; } = new();

    public BudgetPeriod Budget { get; } = new();

    public int InFlight { get; private set; }

    /// <summary>Estimated tokens of every reservation in flight, however long ago it was admitted.</summary>
    public long ReservedTokens { get; private set; }

    public decimal ReservedCost { get; private set; }

    public void Admit(QuotaReservation r)
    {
        Window.Admit(r.Second, r.EstimatedTokens);
        Hold(r);
    }

    public void Settle(QuotaReservation r, long actualTokens, decimal actualCost, DateTimeOffset now, long nowSecond)
    {
        Unhold(r);
        Window.Settle(r.Second, r.EstimatedTokens, actualTokens, nowSecond);
        Budget.Roll(now);
        Budget.Add(actualCost);
    }

    public void Release(QuotaReservation r, long nowSecond)
    {
        Unhold(r);
        Window.Release(r.Second, r.EstimatedTokens, nowSecond);
    }

    public void Cancel(QuotaReservation r, long nowSecond)
    {
        Unhold(r);
        Window.Cancel(r.Second, r.EstimatedTokens, nowSecond);
    }

    /// <summary>The settlement of an expired reservation: its slot and estimates were freed at expiry; the usage still counts.</summary>
    public void SettleLate(QuotaReservation r, long actualTokens, decimal actualCost, DateTimeOffset now, long nowSecond)
    {
        Window.AddTokens(r.Second, actualTokens, nowSecond);
        Budget.Roll(now);
        Budget.Add(actualCost);
    }

    /// <summary>Re-holds an in-flight reservation after a reactivation (its request count is in the imported buckets).</summary>
    public void Restore(QuotaReservation r, long nowSecond)
    {
        Window.RestorePending(r.Second, r.EstimatedTokens, nowSecond);
        Hold(r);
    }

    /// <summary>Nothing in flight, nothing in the window, no spend left in a period that still runs.</summary>
    public bool IsIdle(DateTimeOffset now, long nowSecond) =>
        InFlight == 0 && Window.IsEmpty(nowSecond) && Budget.View(now).Spend == 0;

    public QuotaUsageState Export(long nowSecond)
    {
        var state = new QuotaUsageState { Buckets = Window.Export(nowSecond) };
        Budget.Export(state);
        return state;
    }

    public void Import(QuotaUsageState? state, long nowSecond)
    {
        if (state is null)
        {
            return;
        }
        Window.Import(state.Buckets, nowSecond);
        Budget.Import(state);
    }

    /// <summary>Adds a moved subject's counters: window buckets add up, the budget periods merge (see <see cref="BudgetPeriod.Merge"/>).</summary>
    public void Merge(QuotaUsageState? state, DateTimeOffset now, long nowSecond)
    {
        if (state is null)
        {
            return;
        }
        Window.Import(state.Buckets, nowSecond);
        Budget.Merge(state, now);
    }

    private void Hold(QuotaReservation r)
    {
        InFlight++;
        ReservedTokens += r.EstimatedTokens;
        ReservedCost += r.EstimatedCost;
    }

    private void Unhold(QuotaReservation r)
    {
        InFlight--;
        ReservedTokens -= r.EstimatedTokens;
        ReservedCost -= r.EstimatedCost;
    }
}
