using static HotDash.Grains.Tests.Tracing.TracingTestData;

namespace HotDash.Grains.Tests.Tracing;

[Collection(TracingClusterCollection.Name)]
public sealed class TraceRollupTests(TracingClusterFixture fixture)
{
    [Fact]
    public async Task Add_GatewayGenerations_CountPerMinuteForModelAndTeam()
    {
        var project = NewProject();
        var group = "model-" + Guid.NewGuid().ToString("N")[..8];
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];
        var minute = fixture.NowMs() / 60_000 * 60_000;
        var events = ImmutableArray.CreateBuilder<TraceEvent>();
        for (var i = 0; i < 10; i++)
        {
            var start = minute + i * 1_000;
            events.Add(GenerationCreate(project, $"g{i}", $"t{i}", start, g => g with
            {
                ModelGroup = group,
                TeamId = team,
                EndTimeMs = start + 100 * (i + 1),
                Level = i == 0 ? "ERROR" : "DEFAULT",
                CacheHit = i < 3,
                UsageDetails = ImmutableDictionary<string, long>.Empty.Add("input", 10).Add("output", 5),
                TotalCost = 0.001m,
            }));
        }
        // A later update of a generation is not a new request; a generation without a model group is not a gateway request.
        events.Add(GenerationUpdate(project, "g0", minute + 30_000, g => g with { ModelGroup = group, Output = "\"x\"" }));
        events.Add(GenerationCreate(project, "sdk", "t0", minute, g => g with { TeamId = team }));

        await fixture.Pump(fixture.Aggregator().Add(events.ToImmutable()));

        var model = fixture.Grains.GetGrain<ITraceRollupGrain>(RollupSubjects.Model(group));
        var minutes = await fixture.PumpUntil(() => model.GetMinutes(minute), m => m.Length == 1 && m[0].Requests == 10);
        var m = minutes[0];
        Assert.Equal(minute, m.MinuteMs);
        Assert.Equal(1, m.Errors);
        Assert.Equal(100, m.InputTokens);
        Assert.Equal(50, m.OutputTokens);
        Assert.Equal(0.010m, m.Cost);
        Assert.Equal(3, m.CacheHits);
        // Latencies 100..1000 ms: the histogram's estimates are within 12% of the true percentiles.
        Assert.InRange(m.LatencyP50Ms, 500 * 0.88, 500 * 1.12);
        Assert.InRange(m.LatencyP99Ms, 1000 * 0.88, 1000 * 1.12);
        var teamMinutes = await fixture.PumpUntil(() => fixture.Grains.GetGrain<ITraceRollupGrain>(RollupSubjects.Team(team)).GetMinutes(minute), t => t.Length == 1);
        Assert.Equal(10, teamMinutes[0].Requests);
        var all = await fixture.Grains.GetGrain<ITraceRollupGrain>(RollupSubjects.All).GetMinutes(minute);
        Assert.True(all.Sum(a => a.Requests) >= 10);
        Assert.Empty(await model.GetMinutes(minute + 60_000));
    }

    [Fact]
    public async Task GetMinutes_AfterDeactivation_StateIsRestored()
    {
        var subject = RollupSubjects.Model("restore-" + Guid.NewGuid().ToString("N")[..8]);
        var rollup = fixture.Grains.GetGrain<ITraceRollupGrain>(subject);
        var minute = fixture.NowMs() / 60_000 * 60_000;
        var histogram = new int[LatencyHistogram.BucketCount];
        histogram[LatencyHistogram.BucketOf(200)] = 2;
        await rollup.Add([new RollupDelta(minute, 2, 0, 4, 6, 0.5m, 1, [.. histogram])]);
        await rollup.Add([new RollupDelta(minute, 1, 1, 1, 1, 0.25m, 0, [.. new int[LatencyHistogram.BucketCount]])]);
        await fixture.PumpUntil(() => rollup.GetMinutes(minute), m => m.Length == 1 && m[0].Requests == 3);

        await fixture.Cluster.DeactivateAsync(rollup);
        var after = await rollup.GetMinutes(minute);

        var m = Assert.Single(after);
        Assert.Equal(3, m.Requests);
        Assert.Equal(1, m.Errors);
        Assert.Equal(0.75m, m.Cost);
        Assert.InRange(m.LatencyP50Ms, 200 * 0.88, 200 * 1.12);
    }

    [Fact]
    public async Task GetMinutes_MinutesOlderThanADay_AreDropped()
    {
        var rollup = fixture.Grains.GetGrain<ITraceRollupGrain>(RollupSubjects.Model("old-" + Guid.NewGuid().ToString("N")[..8]));
        var minute = fixture.NowMs() / 60_000 * 60_000;
        var empty = new int[LatencyHistogram.BucketCount];

        await rollup.Add([new RollupDelta(minute - (long)TimeSpan.FromHours(25).TotalMilliseconds, 5, 0, 0, 0, 0m, 0, [.. empty]), new RollupDelta(minute, 1, 0, 0, 0, 0m, 0, [.. empty])]);
        var minutes = await fixture.PumpUntil(() => rollup.GetMinutes(0), m => m.Length > 0);

        Assert.Equal(minute, Assert.Single(minutes).MinuteMs);
    }
}
