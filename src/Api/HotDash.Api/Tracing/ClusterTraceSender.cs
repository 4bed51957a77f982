using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Api.Tracing;

/// <summary>Sends trace batches to the cluster's <see cref="ITraceAggregatorGrain"/>, which answers once they are archived.</summary>
internal sealed class ClusterTraceSender(IGrainFactory cluster) : ITraceSender
{
    public Task SendAsync(ImmutableArray<TraceEvent> events, CancellationToken cancellationToken)
    {
        ITraceAggregatorGrain aggregator;
        try
        {
            aggregator = cluster.GetGrain<ITraceAggregatorGrain>(ITraceAggregatorGrain.DefaultKey);
        }
        catch (ArgumentException e)
        {
            // GetGrain itself refuses only when the cluster's manifest has no implementation of the interface.
            throw new TraceReceiverMissingException($"no silo implements {nameof(ITraceAggregatorGrain)}: {e.Message}", e);
        }
        return aggregator.Add(events).WaitAsync(cancellationToken);
    }
}
