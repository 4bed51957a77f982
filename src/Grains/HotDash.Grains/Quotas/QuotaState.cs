namespace HotDash.Grains.Quotas;

/// <summary>The persisted state of one <see cref="QuotaGrain"/> (storage <c>hotdash</c>, state name <c>quota</c>).</summary>
/// <remarks>Settable properties and a parameterless constructor so any grain storage serializer (Orleans, JSON) round-trips it.</remarks>
[GenerateSerializer, Alias("hotdash.QuotaState")]
public sealed class QuotaState
{
    /// <summary>The subject's own counters.</summary>
    [Id(0)] public QuotaUsageState Subject { get; set; } = new();

    /// <summary>Counters of the models that have <c>model_*</c> limits, by model name.</summary>
    [Id(1)] public Dictionary<string, QuotaUsageState> Models { get; set; } = [];

    /// <summary>Reservations in flight.</summary>
    [Id(2)] public List<QuotaReservation> Reservations { get; set; } = [];

    /// <summary>Expired reservations whose settlement may still arrive late (their spend then still counts, once).</summary>
    [Id(3)] public List<QuotaReservation> Expired { get; set; } = [];

    /// <summary>
    /// True when written by an orderly deactivation: settlements for the reservations in flight will reach the next
    /// activation. False for a write-behind snapshot: read back after a crash, its reservations are in doubt.
    /// </summary>
    [Id(4)] public bool Deactivated { get; set; }

    /// <summary>Reservations moved to another subject whose settlement may still arrive here, to be passed on.</summary>
    [Id(5)] public List<QuotaForward> Forwards { get; set; } = [];
}
