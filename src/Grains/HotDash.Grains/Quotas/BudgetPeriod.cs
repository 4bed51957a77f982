namespace HotDash.Grains.Quotas;

/// <summary>
/// Spend in a fixed budget period. The period starts at the first use (or at a reset) and ends after its length;
/// the first use after that starts the next one at 0, as LiteLLM's budget reset sets spend to 0 and the next
/// reset to now plus <c>budget_duration</c>. Without a length it never ends.
/// </summary>
internal sealed class BudgetPeriod
{
    public decimal Spend { get; private set; }

    public DateTimeOffset? Start { get; private set; }

    public TimeSpan? Length { get; private set; }

    /// <summary>When the current period ends; <see langword="null"/> when it never does.</summary>
    public DateTimeOffset? ResetAt => Start is { } start && Length is { } length ? start + length : null;

    /// <summary>
    /// Applies the period length in force (from the request's limits) and starts or ends the period at
    /// <paramref name="now"/>. Returns whether persisted state changed.
    /// </summary>
    public bool Roll(DateTimeOffset now, TimeSpan? length)
    {
        if (length is { } l && l <= TimeSpan.Zero)
        {
            length = null;
        }
        if (Start is null)
        {
            Start = now;
            Length = length;
            return true;
        }
        var changed = false;
        if (Length is null && length is not null)
        {
            // A duration set on a subject that had none runs from now (LiteLLM sets budget_reset_at when the key is updated).
            Start = now;
            changed = true;
        }
        if (Length != length)
        {
            Length = length;
            changed = true;
        }
        if (ResetAt is { } at && now >= at)
        {
            Spend = 0;
            Start = now;
            changed = true;
        }
        return changed;
    }

    /// <summary>As <see cref="Roll(DateTimeOffset, TimeSpan?)"/> with the length last seen (settlements carry no limits).</summary>
    public bool Roll(DateTimeOffset now) => Start is not null && Roll(now, Length);

    public void Add(decimal cost) => Spend += cost;

    public void Reset(DateTimeOffset now)
    {
        Spend = 0;
        Start = now;
    }

    /// <summary>Spend and period as they stand at <paramref name="now"/>, without starting a new period.</summary>
    public (decimal Spend, DateTimeOffset? Start, DateTimeOffset? ResetAt) View(DateTimeOffset now) =>
        ResetAt is { } at && now >= at ? (0m, null, null) : (Spend, Start, ResetAt);

    public void Export(QuotaUsageState into)
    {
        into.Spend = Spend;
        into.PeriodStart = Start;
        into.PeriodLength = Length;
    }

    /// <summary>
    /// Adds a moved subject's period (see <see cref="IQuotaTransferGrain.Absorb"/>): its spend counts here if its period
    /// still runs. Of two running periods the earlier one is kept, so the older budget's reset date stands; a period
    /// here that never started or has ended gives way to the moved one.
    /// </summary>
    public void Merge(QuotaUsageState from, DateTimeOffset now)
    {
        var moved = new BudgetPeriod();
        moved.Import(from);
        if (moved.Start is null || (moved.ResetAt is { } movedEnd && now >= movedEnd))
        {
            return;
        }
        if (Start is null || (ResetAt is { } end && now >= end))
        {
            Import(from);
            return;
        }
        Spend += moved.Spend;
        if (moved.Start < Start)
        {
            Start = moved.Start;
            Length = moved.Length;
        }
    }

    public void Import(QuotaUsageState from)
    {
        Spend = from.Spend;
        Start = from.PeriodStart;
        Length = from.PeriodLength;
    }
}
