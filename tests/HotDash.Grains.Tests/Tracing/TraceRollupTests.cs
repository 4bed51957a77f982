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

    private static ImmutableArray<int> Histogram(params (double Ms, int Count)[] latencies)
    {
        var counts = new int[LatencyHistogram.BucketCount];
        foreach (var (ms, count) in latencies)
        {
            counts[LatencyHistogram.BucketOf(ms)] += count;
        }
        return [.. counts];
    }

    [Fact]
    public async Task Summarize_MinutesInRange_AddsCountersAndMergesHistogramsIntoAlignedBuckets()
    {
        var rollup = fixture.Grains.GetGrain<ITraceRollupGrain>(RollupSubjects.Model("sum-" + Guid.NewGuid().ToString("N")[..8]));
        var now = fixture.NowMs() / 60_000 * 60_000;
        // Four-minute buckets from the epoch: the first holds now - 4 min .. now - 1 min.
        var bucketStart = (now / 240_000 * 240_000) - 240_000;
        await rollup.Add(
        [
            new RollupDelta(bucketStart, 2, 1, 10, 20, 0.5m, 1, Histogram((100, 2))),
            new RollupDelta(bucketStart + 180_000, 3, 0, 1, 2, 0.25m, 0, Histogram((1000, 3))),
            new RollupDelta(bucketStart + 240_000, 5, 2, 100, 200, 1m, 5, Histogram((10, 5))),
            // Outside the range asked below: one minute before it.
            new RollupDelta(bucketStart - 60_000, 7, 7, 7, 7, 7m, 7, Histogram((5, 7))),
        ]);

        var series = await fixture.PumpUntil(() => rollup.Summarize(bucketStart, bucketStart + 300_000, 240_000), s => s.Totals.Requests == 10);

        var t = series.Totals;
        Assert.Equal((10L, 3L, 111L, 222L, 1.75m, 6L), (t.Requests, t.Errors, t.InputTokens, t.OutputTokens, t.Cost, t.CacheHits));
        // Merged histogram: 5 x 10 ms, 2 x 100 ms, 3 x 1000 ms.
        Assert.InRange(t.LatencyP50Ms, 10 * 0.88, 10 * 1.12);
        Assert.InRange(t.LatencyP95Ms, 1000 * 0.88, 1000 * 1.12);
        Assert.Equal([bucketStart, bucketStart + 240_000], series.Buckets.Select(b => b.StartMs));
        var first = series.Buckets[0].Totals;
        Assert.Equal((5L, 1L, 0.75m), (first.Requests, first.Errors, first.Cost));
        // 2 x 100 ms and 3 x 1000 ms: the median is 1000 ms.
        Assert.InRange(first.LatencyP50Ms, 1000 * 0.88, 1000 * 1.12);
        Assert.Equal(5, series.Buckets[1].Totals.Requests);
    }

    [Fact]
    public async Task Summarize_BucketWidth_RoundedUpToWholeMinutesAndEndExclusive()
    {
        var rollup = fixture.Grains.GetGrain<ITraceRollupGrain>(RollupSubjects.Team("sum-" + Guid.NewGuid().ToString("N")[..8]));
        var now = fixture.NowMs() / 60_000 * 60_000;
        var start = (now / 120_000 * 120_000) - 240_000;
        var empty = Histogram();
        await rollup.Add(
        [
            new RollupDelta(start, 1, 0, 0, 0, 0m, 0, empty),
            new RollupDelta(start + 60_000, 1, 0, 0, 0, 0m, 0, empty),
            new RollupDelta(start + 120_000, 1, 0, 0, 0, 0m, 0, empty),
            new RollupDelta(start + 180_000, 1, 0, 0, 0, 0m, 0, empty),
        ]);
        await fixture.PumpUntil(() => rollup.Summarize(start, start + 240_000, 60_000), s => s.Totals.Requests == 4);

        // 90 s becomes two minutes; the minute starting at the range's end is not in it.
        var series = await rollup.Summarize(start, start + 180_000, 90_000);

        Assert.Equal(3, series.Totals.Requests);
        Assert.Equal([(start, 2L), (start + 120_000, 1L)], series.Buckets.Select(b => (b.StartMs, b.Totals.Requests)));
        // No latencies recorded: percentiles are 0.
        Assert.Equal(0, series.Totals.LatencyP50Ms);
    }

    [Fact]
    public async Task Summarize_NoMinutesInRange_IsEmpty()
    {
        var rollup = fixture.Grains.GetGrain<ITraceRollupGrain>(RollupSubjects.Model("sum-empty-" + Guid.NewGuid().ToString("N")[..8]));
        var now = fixture.NowMs() / 60_000 * 60_000;
        await rollup.Add([new RollupDelta(now, 1, 0, 0, 0, 0m, 0, Histogram((50, 1)))]);
        await fixture.PumpUntil(() => rollup.Summarize(now, now + 60_000, 60_000), s => s.Totals.Requests == 1);

        var before = await rollup.Summarize(now - 3_600_000, now, 60_000);

        Assert.Equal(UsageTotals.Empty, before.Totals);
        Assert.Empty(before.Buckets);
    }

    [Fact]
    public async Task Summarize_EmptyRangeOrNoBucketWidth_Throws()
    {
        var rollup = fixture.Grains.GetGrain<ITraceRollupGrain>(RollupSubjects.Model("sum-bad-" + Guid.NewGuid().ToString("N")[..8]));
        var now = fixture.NowMs();

        await Assert.ThrowsAsync<ArgumentException>(() => rollup.Summarize(now, now, 60_000));
        await Assert.ThrowsAsync<ArgumentException>(() => rollup.Summarize(now, now - 1, 60_000));
        await Assert.ThrowsAsync<ArgumentException>(() => rollup.Summarize(now - 60_000, now, 0));
    }
}
