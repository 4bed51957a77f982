namespace HotDash.Bench.Ingest;

/// <summary>Rows of one phase in the analytics store: traces and observations with the phase's names.</summary>
internal readonly record struct StoreCount(long Traces, long Observations)
{
    public long Total => Traces + Observations;

    public override string ToString() => $"{Traces} traces + {Observations} observations";
}
