using System.Collections.Immutable;
using HotDash.Api.Providers;
using HotDash.Grains;
using HotDash.Hosting.Configuration;

namespace HotDash.Api.Tracing;

/// <summary>
/// Ships every traced request to the cluster's trace aggregator: a <see cref="BatchShipper{T}"/> of captures, each of
/// which becomes its trace and generation events (<see cref="TraceEventBuilder"/>) here, on the shipper's thread, once
/// per batch (a retried batch sends the same events again). Counts are in events, two per request, as
/// <c>hotdash.tracing</c> sizes them.
/// </summary>
internal sealed class TraceShipper : BatchShipper<TraceCapture>
{
    /// <summary>A request's trace-create and generation-create.</summary>
    public const int EventsPerCapture = 2;

    private readonly ITraceSender sender;
    private readonly TraceEventBuilder builder;
    private readonly ILogger<TraceShipper> logger;
    private ImmutableArray<TraceCapture> builtFor;
    private ImmutableArray<TraceEvent> built;

    public TraceShipper(BatchShipperSettings settings, ITraceSender sender, TraceEventBuilder builder, TimeProvider time, ILogger<TraceShipper> logger)
        : base(settings, time, logger, "trace")
    {
        this.sender = sender;
        this.builder = builder;
        this.logger = logger;
    }

    /// <summary>The settings <c>hotdash.tracing</c> gives (its sizes are in events: two per capture).</summary>
    public static BatchShipperSettings SettingsFor(TracingSettings tracing) => new(
        Math.Max(1, tracing.BufferCapacity / EventsPerCapture),
        Math.Max(1, tracing.BatchSize / EventsPerCapture),
        tracing.FlushInterval);

    /// <summary>Events waiting to be shipped (not counting the batch being sent).</summary>
    public long QueuedEvents => (long)Pending * EventsPerCapture;

    /// <summary>Events the aggregator has acknowledged.</summary>
    public long ShippedEvents => Shipped * EventsPerCapture;

    /// <summary>Events dropped (queue full, or shutdown could not ship them in time).</summary>
    public long DroppedEvents => Dropped * EventsPerCapture;

    protected override Task SendAsync(ImmutableArray<TraceCapture> batch, CancellationToken cancellationToken)
    {
        if (builtFor != batch)
        {
            built = Build(batch);
            builtFor = batch;
        }
        return sender.SendAsync(built, cancellationToken);
    }

    protected override bool IsPermanent(Exception error) => error is TraceReceiverMissingException;

    protected override void OnDropped(TraceCapture item) => item.Return();

    private ImmutableArray<TraceEvent> Build(ImmutableArray<TraceCapture> batch)
    {
        var events = ImmutableArray.CreateBuilder<TraceEvent>(batch.Length * EventsPerCapture);
        foreach (var capture in batch)
        {
            try
            {
                var (trace, generation) = capture.Built ??= builder.Build(capture);
                events.Add(trace);
                events.Add(generation);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A capture this code cannot turn into events must not hold up every later trace.
                capture.Return();
                TraceLog.BuildFailed(logger, capture.CallId, e);
            }
        }
        return events.ToImmutable();
    }
}
