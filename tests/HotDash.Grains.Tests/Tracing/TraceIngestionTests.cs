using HotDash.Grains.Tracing;
using Orleans.Runtime;
using static HotDash.Grains.Tests.Tracing.TracingTestData;

namespace HotDash.Grains.Tests.Tracing;

[Collection(TracingClusterCollection.Name)]
public sealed class TraceIngestionTests(TracingClusterFixture fixture)
{
    [Fact]
    public async Task Add_CreateAndUpdateInSeparateBatches_StoresTheMergedRows()
    {
        var project = NewProject();
        var t0 = fixture.NowMs();

        await fixture.Pump(fixture.Aggregator().Add(
        [
            TraceCreate(project, "t1", t0, name: "chat", userId: "u1"),
            GenerationCreate(project, "g1", "t1", t0 + 1, g => g with { Input = "{\"messages\":[]}", Model = "gpt-4o", ModelGroup = "gpt" }),
        ]));
        await fixture.Pump(fixture.Aggregator().Add(
        [
            GenerationUpdate(project, "g1", t0 + 800, g => g with
            {
                EndTimeMs = t0 + 750,
                Output = "\"hello\"",
                UsageDetails = ImmutableDictionary<string, long>.Empty.Add("input", 12).Add("output", 3),
                TotalCost = 0.000123456789m,
            }),
        ]));

        var detail = await fixture.Store.Inner.GetTraceAsync(project, "t1");
        Assert.NotNull(detail);
        Assert.Equal("chat", detail.Summary.Trace.Name);
        var g = Assert.Single(detail.Observations);
        Assert.Equal("GENERATION", g.Type);
        Assert.Equal(t0 + 1, g.StartTimeMs);
        Assert.Equal(t0 + 750, g.EndTimeMs);
        Assert.Equal("{\"messages\":[]}", g.Input);
        Assert.Equal("\"hello\"", g.Output);
        Assert.Equal("gpt-4o", g.Model);
        Assert.Equal(15, g.UsageDetails!["total"]);
        Assert.Equal(0.000123456789m, g.TotalCost);
        Assert.Equal(t0 + 800, g.EventTsMs);
        Assert.Equal(2, (await fixture.ArchivedKeys(project)).Count);
    }

    [Fact]
    public async Task Add_NewEntitiesOnly_AreStoredWithoutAStoredRowToMergeInto()
    {
        // The gateway's events (NewEntity): nothing to read first, but every row is still written, and a replay of the
        // same batch leaves one row each.
        var project = NewProject();
        var t0 = fixture.NowMs();
        ImmutableArray<TraceEvent> batch =
        [
            TraceCreate(project, "call-1", t0, name: "litellm-acompletion") with { NewEntity = true },
            GenerationCreate(project, "call-1", "call-1", t0 + 1, g => g with { Output = "\"hi\"" }) with { NewEntity = true },
        ];

        await fixture.Pump(fixture.Aggregator().Add(batch));
        await fixture.Pump(fixture.Aggregator().Add(batch));

        var detail = await fixture.Store.Inner.GetTraceAsync(project, "call-1");
        Assert.NotNull(detail);
        Assert.Equal("\"hi\"", Assert.Single(detail.Observations).Output);
        Assert.Equal(1, await fixture.Store.Inner.CountTraces(project));
        Assert.Equal(1, await fixture.Store.Inner.CountObservations(project));
    }

    [Fact]
    public async Task Add_TheSameBatchTwice_IsStoredOnce()
    {
        var project = NewProject();
        var t0 = fixture.NowMs();
        ImmutableArray<TraceEvent> batch =
        [
            TraceCreate(project, "t1", t0, name: "once"),
            GenerationCreate(project, "g1", "t1", t0 + 1, g => g with { Output = "\"a\"" }),
            GenerationUpdate(project, "g1", t0 + 2, g => g with { Output = "\"b\"" }),
        ];

        await fixture.Pump(fixture.Aggregator().Add(batch));
        var first = await fixture.Store.Inner.GetTraceAsync(project, "t1");
        await fixture.Pump(fixture.Aggregator().Add(batch));
        var second = await fixture.Store.Inner.GetTraceAsync(project, "t1");

        Assert.Equal(1, await fixture.Store.Inner.CountTraces(project));
        Assert.Equal(1, await fixture.Store.Inner.CountObservations(project));
        Assert.Equal("\"b\"", second!.Observations[0].Output);
        Assert.Equal(first!.Observations[0].EventTsMs, second.Observations[0].EventTsMs);
        Assert.Equal(first.Summary.Trace.CreatedAtMs, second.Summary.Trace.CreatedAtMs);
    }

    [Fact]
    public async Task Add_WhileTheStoreIsDown_BatchesArePersistedAndReplayedInOrderOnceItIsBack()
    {
        var project = NewProject();
        var t0 = fixture.NowMs();
        const string id = "g1";
        var shard = ITraceWriterGrain.ShardOf(project, id, TracingClusterFixture.Shards);
        fixture.Store.Down = true;
        try
        {
            // Each Add completes although nothing can be written: the writer holds the archived batch's key.
            await fixture.Pump(fixture.Aggregator().Add([TraceCreate(project, "t1", t0), GenerationCreate(project, id, "t1", t0 + 1, g => g with { Name = "first" })]));
            await fixture.Pump(fixture.Aggregator().Add([GenerationUpdate(project, id, t0 + 2, g => g with { Name = "second" })]));
            await fixture.Pump(fixture.Aggregator().Add([GenerationUpdate(project, id, t0 + 3, g => g with { Name = "third", Output = "\"done\"" })]));

            var status = await fixture.Writer(shard).GetStatus();
            Assert.True(status.PendingBatches >= 3, $"pending {status.PendingBatches}");
            Assert.True(status.Retries >= 1);
            Assert.Contains("unreachable", status.LastError ?? "");
            var stored = new GrainState<TraceWriterState>();
            await fixture.Storage.ReadStateAsync("tracewriter", fixture.Writer(shard).GetGrainId(), stored);
            Assert.Equal(status.PendingBatches, stored.State!.Pending.Count);
            Assert.All(stored.State.Pending.TakeLast(3), keys => Assert.Contains(keys, k => k.StartsWith(project + "/", StringComparison.Ordinal)));

            // The pending list survives the activation: a new one replays it.
            await fixture.Cluster.DeactivateAsync(fixture.Writer(shard));
            Assert.Equal(status.PendingBatches, (await fixture.Writer(shard).GetStatus()).PendingBatches);
        }
        finally
        {
            fixture.Store.Down = false;
        }

        await fixture.PumpUntil(fixture.PendingBatches, pending => pending == 0);

        var g = (await fixture.Store.Inner.GetTraceAsync(project, "t1"))!.Observations.Single();
        Assert.Equal("third", g.Name);
        Assert.Equal("\"done\"", g.Output);
        Assert.Equal(t0 + 3, g.EventTsMs);
        Assert.Equal(1, await fixture.Store.Inner.CountTraces(project));
        Assert.Equal(1, await fixture.Store.Inner.CountObservations(project));
        // The run of pending batches is replayed as one merge and one write, in the order the batches came.
        var names = fixture.Store.Written.SelectMany(r => r.Observations).Where(o => o.ProjectId == project).Select(o => o.Name).ToList();
        Assert.Equal(["third"], names);
        var status2 = await fixture.Writer(shard).GetStatus();
        Assert.Null(status2.LastError);
    }

    [Fact]
    public async Task Add_WhileTheStoreIsDown_NewBatchesQueueBehindThePendingOnesAndEveryEventIsStoredOnce()
    {
        var project = NewProject();
        var t0 = fixture.NowMs();
        fixture.Store.Down = true;
        try
        {
            for (var b = 0; b < 4; b++)
            {
                var events = Enumerable.Range(0, 25).SelectMany(i => new[]
                {
                    TraceCreate(project, $"t{b}-{i}", t0 + b),
                    GenerationCreate(project, $"g{b}-{i}", $"t{b}-{i}", t0 + b),
                }).ToImmutableArray();
                await fixture.Pump(fixture.Aggregator().Add(events));
            }
            Assert.True(await fixture.PendingBatches() >= 4);
        }
        finally
        {
            fixture.Store.Down = false;
        }

        // Traffic while the backlog drains goes behind it.
        await fixture.Pump(fixture.Aggregator().Add([TraceCreate(project, "late", t0 + 10)]));
        await fixture.PumpUntil(fixture.PendingBatches, pending => pending == 0);

        Assert.Equal(101, await fixture.Store.Inner.CountTraces(project));
        Assert.Equal(100, await fixture.Store.Inner.CountObservations(project));
        var written = fixture.Store.Written.SelectMany(r => r.Traces).Where(t => t.ProjectId == project).GroupBy(t => t.Id).ToList();
        Assert.Equal(101, written.Count);
        Assert.All(written, w => Assert.Single(w));
    }

    [Fact]
    public async Task Add_WhileTheArchiveIsDown_FailsSoTheCallerRetries()
    {
        var project = NewProject();
        var t0 = fixture.NowMs();
        ImmutableArray<TraceEvent> batch = [TraceCreate(project, "t1", t0, name: "retried")];
        fixture.Archive.Down = true;
        Exception error;
        try
        {
            error = await Assert.ThrowsAnyAsync<Exception>(() => fixture.Pump(fixture.Aggregator().Add(batch)));
        }
        finally
        {
            fixture.Archive.Down = false;
        }

        Assert.Contains("archive unreachable", error.Message);
        Assert.Equal(0, await fixture.Store.Inner.CountTraces(project));
        Assert.Empty(await fixture.ArchivedKeys(project));

        await fixture.Pump(fixture.Aggregator().Add(batch));

        Assert.Equal("retried", (await fixture.Store.Inner.GetTraceAsync(project, "t1"))!.Summary.Trace.Name);
    }

    [Fact]
    public async Task Add_MoreThanMaxBatchEvents_IsSplitIntoSeveralBatches()
    {
        var project = NewProject();
        var t0 = fixture.NowMs();
        var events = Enumerable.Range(0, 2_500).Select(i => TraceCreate(project, $"t{i}", t0)).ToImmutableArray();

        await fixture.Pump(fixture.Aggregator().Add(events));

        Assert.Equal(2_500, await fixture.Store.Inner.CountTraces(project));
        Assert.Equal(3, (await fixture.ArchivedKeys(project)).Count);
    }

    [Fact]
    public async Task Add_SdkLogEvents_AreAcceptedAndDropped()
    {
        var project = NewProject();

        await fixture.Pump(fixture.Aggregator().Add([new TraceEvent("log1", fixture.NowMs(), TraceEventTypes.SdkLog), TraceCreate(project, "t1", fixture.NowMs())]));

        Assert.Equal(1, await fixture.Store.Inner.CountTraces(project));
    }
}
