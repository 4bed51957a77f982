using System.Collections.Immutable;
using HotDash.Api.Tracing;
using HotDash.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace HotDash.Api.Tests.Tracing;

public sealed class ClusterTraceSenderTests
{
    [Fact]
    public async Task SendAsync_NoSiloImplementsTheAggregator_ThrowsTraceReceiverMissing()
    {
        await using var silo = await TestSilo.StartAsync(s => s.Services.PostConfigure<GrainTypeOptions>(
            o => o.Classes.RemoveWhere(t => typeof(ITraceAggregatorGrain).IsAssignableFrom(t))));
        var sender = new ClusterTraceSender(silo.Grains);

        await Assert.ThrowsAsync<TraceReceiverMissingException>(
            () => sender.SendAsync([new TraceEvent("e", 1, TraceEventTypes.TraceCreate) { Trace = new TraceRecord("t") }], CancellationToken.None));
    }

    [Fact]
    public async Task SendAsync_AggregatorTakesTheBatch_Completes()
    {
        var sink = new TraceSink();
        await using var silo = await TestSilo.StartAsync(s => RecordingTraceAggregatorGrain.Use(s, sink));
        var sender = new ClusterTraceSender(silo.Grains);
        ImmutableArray<TraceEvent> batch = [new TraceEvent("e-1", 1, TraceEventTypes.TraceCreate) { Trace = new TraceRecord("t") }];

        await sender.SendAsync(batch, CancellationToken.None);

        Assert.Equal("e-1", Assert.Single(sink.Events).EventId);
    }
}
