using Microsoft.Extensions.DependencyInjection;
using static HotDash.Grains.Tests.Tracing.TracingTestData;

namespace HotDash.Grains.Tests.Tracing;

/// <summary>A silo that stops with events buffered in its aggregator: its own two-silo cluster, since it stops one.</summary>
public sealed class TraceAggregatorShutdownTests
{
    [Fact]
    public async Task StopSilo_WithEventsBufferedInItsAggregator_FlushesThemBeforeItGoes()
    {
        var fixture = new TracingClusterFixture(silos: 2);
        await fixture.InitializeAsync();
        try
        {
            var project = NewProject();
            var t0 = fixture.NowMs();
            var leaving = fixture.Cluster.Silos[1];
            // A stateless worker runs on the silo the call enters: this aggregator lives on the silo that stops.
            var aggregator = leaving.ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<ITraceAggregatorGrain>(ITraceAggregatorGrain.DefaultKey);
            var events = Enumerable.Range(0, 50).Select(i => TraceCreate(project, $"t{i}", t0, name: "buffered")).ToImmutableArray();

            var add = aggregator.Add(events);
            // The clock stands still, so the flush timer cannot fire: the events wait in the buffer.
            await Task.Delay(300);
            Assert.False(add.IsCompleted);
            Assert.Equal(0, await fixture.Store.Inner.CountTraces(project));

            await fixture.Pump(fixture.Cluster.StopSiloAsync(leaving));

            Assert.Equal(50, await fixture.Store.Inner.CountTraces(project));
            await add;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
