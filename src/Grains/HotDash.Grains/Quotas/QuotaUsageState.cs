namespace HotDash.Grains.Quotas;

/// <summary>
/// The persisted counters of a subject or of one of its models. What reservations hold (in flight, reserved
/// tokens and cost) is not stored here: it is rebuilt from <see cref="QuotaState.Reservations"/>, so the two can
/// never disagree.
/// </summary>
/// <remarks>Settable properties and a parameterless constructor so any grain storage serializer (Orleans, JSON) round-trips it.</remarks>
[GenerateSerializer, Alias("hotdash.QuotaUsageState")]
public sealed class QuotaUsageState
{
    /// <summary>The window's non-empty seconds.</summary>
    [Id(0)] public List<QuotaBucketState> Buckets { get; set; } = [];

    /// <summary>Settled spend in the current budget period.</summary>
    [Id(1)] public decimal Spend { get; set; }

    /// <summary>When the current budget period started; <see langword="null"/> before the first use.</summary>
    [Id(2)] public DateTimeOffset? PeriodStart { get; set; }

    /// <summary>The budget period length last seen in a request; <see langword="null"/>: never resets.</summary>
    [Id(3)] public TimeSpan? PeriodLength { get; set; }
}
