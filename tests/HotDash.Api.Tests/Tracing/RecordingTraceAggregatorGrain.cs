using System.Collections.Immutable;
using HotDash.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace HotDash.Api.Tests.Tracing;

/// <summary>
/// A test silo's trace aggregator: records what the gateway ships in the silo's <see cref="TraceSink"/> (when one is
/// registered) and acknowledges it, as the real one does once archived. Every gateway fixture's silo uses it
/// (<see cref="Use"/>) unless the fixture configures the real pipeline itself: the real aggregator needs an archive and
/// an analytics store a plain test silo has not, and a gateway whose traces cannot be shipped spends its shutdown
/// retrying them.
/// </summary>
public sealed class RecordingTraceAggregatorGrain(IServiceProvider services) : Grain, ITraceAggregatorGrain
{
    private readonly TraceSink? sink = services.GetService<TraceSink>();
    private long received;

    public Task Add(ImmutableArray<TraceEvent> events)
    {
        sink?.Add(events);
        received += events.Length;
        return Task.CompletedTask;
    }

    public Task<TraceAggregatorStatus> GetStatus() => Task.FromResult(new TraceAggregatorStatus(0, received, 0, 0));

    /// <summary>
    /// Test-only: makes this grain the silo's only <see cref="ITraceAggregatorGrain"/> (whatever else implements it is
    /// left out of the silo), recording into <paramref name="sink"/> when given, discarding otherwise.
    /// </summary>
    public static void Use(ISiloBuilder silo, TraceSink? sink = null)
    {
        if (sink is not null)
        {
            silo.Services.AddSingleton(sink);
        }
        silo.Services.PostConfigure<GrainTypeOptions>(o => o.Classes.RemoveWhere(
            t => t != typeof(RecordingTraceAggregatorGrain) && typeof(ITraceAggregatorGrain).IsAssignableFrom(t)));
    }
}
