namespace HotDash.Silo.Tests;

/// <summary>Counts the load answered before, while and after ClickHouse was down (by when the answer came).</summary>
internal sealed class TracingOutageWindow
{
    private const int Before = 0, During = 1, After = 2;

    private readonly int[] _gateway = new int[3];
    private readonly int[] _ingestion = new int[3];
    private int _state = Before;

    public int GatewayDuring => Volatile.Read(ref _gateway[During]);

    public int GatewayAfter => Volatile.Read(ref _gateway[After]);

    public int IngestionDuring => Volatile.Read(ref _ingestion[During]);

    public int IngestionAfter => Volatile.Read(ref _ingestion[After]);

    public void Begin() => Volatile.Write(ref _state, During);

    public void End() => Volatile.Write(ref _state, After);

    public void Count(bool gateway) => Interlocked.Increment(ref (gateway ? _gateway : _ingestion)[Volatile.Read(ref _state)]);

    public override string ToString() =>
        $"gateway requests {_gateway[Before]}/{_gateway[During]}/{_gateway[After]}, ingestion batches {_ingestion[Before]}/{_ingestion[During]}/{_ingestion[After]} (before/during/after the outage)";
}
