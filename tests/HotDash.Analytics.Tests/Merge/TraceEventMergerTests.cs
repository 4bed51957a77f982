using System.Collections.Immutable;
using HotDash.Analytics.Merge;
using HotDash.Grains;
using static HotDash.Analytics.Tests.Merge.MergeData;

namespace HotDash.Analytics.Tests.Merge;

public sealed class TraceEventMergerTests
{
    private const long T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    private readonly FixedTime _time = new(T0 + 3_600_000);

    private AnalyticsRows Merge(AnalyticsRows stored, params TraceEvent[] events) => TraceEventMerger.Merge(stored, events, _time);

    private AnalyticsRows Merge(params TraceEvent[] events) => Merge(AnalyticsRows.Empty, events);

    [Fact]
    public void Merge_GenerationCreateThenUpdateInOneBatch_LaterFieldsWinEarlierOnesStay()
    {
        var rows = Merge(
            ObservationEvent("e2", T0 + 900, TraceEventTypes.GenerationUpdate, new ObservationRecord("g1")
            {
                EndTimeMs = T0 + 850,
                Output = "\"hi\"",
                Level = "WARNING",
                UsageDetails = Usage(("input", 10), ("output", 5)),
            }),
            ObservationEvent("e1", T0 + 100, TraceEventTypes.GenerationCreate, new ObservationRecord("g1")
            {
                TraceId = "t1",
                StartTimeMs = T0 + 50,
                Name = "chat",
                Level = "DEFAULT",
                Input = "{\"q\":1}",
                Model = "gpt-4o",
            }));

        var g = Assert.Single(rows.Observations);
        Assert.Equal("t1", g.TraceId);
        Assert.Equal("GENERATION", g.Type);
        Assert.Equal(T0 + 50, g.StartTimeMs);
        Assert.Equal(T0 + 850, g.EndTimeMs);
        Assert.Equal("chat", g.Name);
        Assert.Equal("WARNING", g.Level);
        Assert.Equal("{\"q\":1}", g.Input);
        Assert.Equal("\"hi\"", g.Output);
        Assert.Equal("gpt-4o", g.Model);
        Assert.Equal(15, g.UsageDetails!["total"]);
        Assert.Equal(T0 + 900, g.EventTsMs);
        Assert.Empty(rows.Traces);
        Assert.Empty(rows.Scores);
    }

    [Fact]
    public void Merge_UpdateInALaterBatch_AppliesOnTopOfTheStoredRow()
    {
        var first = Merge(TraceEvent("e1", T0, new TraceRecord("t1") { TimestampMs = T0, Name = "a", UserId = "u1", Input = "1" }));
        _time.NowMs += 1_000;

        var second = Merge(first, TraceEvent("e2", T0 + 500, new TraceRecord("t1") { Name = "b", Output = "2" }));

        var t = Assert.Single(second.Traces);
        Assert.Equal("b", t.Name);
        Assert.Equal("u1", t.UserId);
        Assert.Equal("1", t.Input);
        Assert.Equal("2", t.Output);
        Assert.Equal(T0, t.TimestampMs);
        Assert.Equal(T0 + 500, t.EventTsMs);
        Assert.Equal(first.Traces[0].CreatedAtMs, t.CreatedAtMs);
        Assert.Equal(_time.NowMs, t.UpdatedAtMs);
    }

    [Fact]
    public void Merge_ReplayOfABatchAlreadyInTheRow_ChangesNothingButUpdatedAt()
    {
        TraceEvent[] batch1 =
        [
            TraceEvent("e1", T0, new TraceRecord("t1") { Name = "first", Tags = ["a"], Metadata = Map(("k", "1")) }),
            ObservationEvent("e2", T0 + 10, TraceEventTypes.SpanCreate, new ObservationRecord("s1") { TraceId = "t1", Name = "span", Level = "ERROR" }),
        ];
        TraceEvent[] batch2 =
        [
            TraceEvent("e3", T0 + 100, new TraceRecord("t1") { Name = "second", Tags = ["b"], Metadata = Map(("k", "2")) }),
            ObservationEvent("e4", T0 + 110, TraceEventTypes.SpanUpdate, new ObservationRecord("s1") { Level = "DEFAULT", EndTimeMs = T0 + 120 }),
        ];
        var stored = Merge(Merge(batch1), batch2);
        _time.NowMs += 60_000;

        var replayedOld = Merge(stored, batch1);
        var replayedNew = Merge(stored, batch2);

        Assert.Equal(Content(stored.Traces[0]), Content(replayedOld.Traces[0]));
        Assert.Equal(Content(stored.Observations[0]), Content(replayedOld.Observations[0]));
        Assert.Equal(Content(stored.Traces[0]), Content(replayedNew.Traces[0]));
        Assert.Equal(Content(stored.Observations[0]), Content(replayedNew.Observations[0]));
        Assert.Equal("second", replayedOld.Traces[0].Name);
        Assert.Equal("DEFAULT", replayedOld.Observations[0].Level);
        Assert.Equal("2", replayedOld.Traces[0].Metadata!["k"]);
    }

    [Fact]
    public void Merge_EventOlderThanTheStoredRow_OnlyFillsFieldsTheRowLacks()
    {
        // The update arrived (and was written) before the create it follows.
        var stored = Merge(ObservationEvent("e2", T0 + 500, TraceEventTypes.GenerationUpdate, new ObservationRecord("g1")
        {
            TraceId = "t1",
            Output = "\"late\"",
            Model = "gpt-4o-mini",
            Metadata = Map(("a", "new")),
        }));

        var rows = Merge(stored, ObservationEvent("e1", T0 + 100, TraceEventTypes.GenerationCreate, new ObservationRecord("g1")
        {
            TraceId = "t1",
            StartTimeMs = T0 + 90,
            Name = "chat",
            Model = "gpt-4o",
            Input = "\"early\"",
            Metadata = Map(("a", "old"), ("b", "old")),
            UsageDetails = Usage(("input", 3)),
        }));

        var g = Assert.Single(rows.Observations);
        Assert.Equal("gpt-4o-mini", g.Model);
        Assert.Equal("\"late\"", g.Output);
        Assert.Equal("chat", g.Name);
        Assert.Equal("\"early\"", g.Input);
        Assert.Equal("new", g.Metadata!["a"]);
        Assert.Equal("old", g.Metadata!["b"]);
        Assert.Equal(3, g.UsageDetails!["input"]);
        // The stored row took the update's envelope time as its start (no create then); start is immutable once set.
        Assert.Equal(T0 + 500, g.StartTimeMs);
        Assert.Equal(T0 + 500, g.EventTsMs);
    }

    [Fact]
    public void Merge_SeveralOlderEvents_TheNewestOfThemFillsFirst()
    {
        var stored = Merge(TraceEvent("e9", T0 + 900, new TraceRecord("t1") { TimestampMs = T0 }));

        var rows = Merge(stored,
            TraceEvent("e1", T0 + 100, new TraceRecord("t1") { Name = "older" }),
            TraceEvent("e2", T0 + 200, new TraceRecord("t1") { Name = "newer" }));

        Assert.Equal("newer", rows.Traces[0].Name);
        Assert.Equal(T0 + 900, rows.Traces[0].EventTsMs);
    }

    [Fact]
    public void Merge_ImmutableFields_KeepTheirFirstValue()
    {
        var rows = Merge(
            TraceEvent("e1", T0, new TraceRecord("t1") { TimestampMs = T0 - 5 }),
            TraceEvent("e2", T0 + 1, new TraceRecord("t1") { TimestampMs = T0 + 999, ProjectId = Project }),
            ObservationEvent("e3", T0, TraceEventTypes.SpanCreate, new ObservationRecord("s1") { TraceId = "t1", StartTimeMs = T0 - 3 }),
            ObservationEvent("e4", T0 + 1, TraceEventTypes.SpanUpdate, new ObservationRecord("s1") { TraceId = "other", StartTimeMs = T0 + 999 }),
            ScoreEvent("e5", T0, new ScoreRecord("c1") { TraceId = "t1", TimestampMs = T0 - 1, Name = "q", Value = 1 }),
            ScoreEvent("e6", T0 + 1, new ScoreRecord("c1") { TraceId = "other", TimestampMs = T0 + 999, Value = 2 }));

        Assert.Equal(T0 - 5, rows.Traces[0].TimestampMs);
        Assert.Equal("t1", rows.Observations[0].TraceId);
        Assert.Equal(T0 - 3, rows.Observations[0].StartTimeMs);
        Assert.Equal("t1", rows.Scores[0].TraceId);
        Assert.Equal(T0 - 1, rows.Scores[0].TimestampMs);
        Assert.Equal(2, rows.Scores[0].Value);
        Assert.Equal("q", rows.Scores[0].Name);
    }

    [Fact]
    public void Merge_Tags_AreUnionedInOrderWithoutDuplicates()
    {
        var stored = Merge(TraceEvent("e1", T0, new TraceRecord("t1") { Tags = ["b", "a", "b"] }));

        var rows = Merge(stored,
            TraceEvent("e2", T0 + 1, new TraceRecord("t1") { Tags = ["c", "a"] }),
            TraceEvent("e3", T0 + 2, new TraceRecord("t1") { Name = "no tags sent" }),
            TraceEvent("e4", T0 + 3, new TraceRecord("t1") { Tags = ["d"] }));

        Assert.Equal<string>(["b", "a", "c", "d"], rows.Traces[0].Tags!.Value);
    }

    [Fact]
    public void Merge_Metadata_IsMergedKeyByKeyLaterWins()
    {
        var rows = Merge(
            ObservationEvent("e1", T0, TraceEventTypes.SpanCreate, new ObservationRecord("s1") { TraceId = "t1", Metadata = Map(("a", "1"), ("b", "1")) }),
            ObservationEvent("e2", T0 + 1, TraceEventTypes.SpanUpdate, new ObservationRecord("s1") { Metadata = Map(("b", "2"), ("c", "2")) }));

        var metadata = rows.Observations[0].Metadata!;
        Assert.Equal(3, metadata.Count);
        Assert.Equal("1", metadata["a"]);
        Assert.Equal("2", metadata["b"]);
        Assert.Equal("2", metadata["c"]);
    }

    [Fact]
    public void Merge_UsageAndCostDetails_AreReplacedAsAWholeWithTotalsComputed()
    {
        var rows = Merge(
            ObservationEvent("e1", T0, TraceEventTypes.GenerationCreate, new ObservationRecord("g1")
            {
                TraceId = "t1",
                UsageDetails = Usage(("input", 100), ("output", 50), ("input_cached_tokens", 20)),
                CostDetails = Cost(("input", 0.001m), ("output", 0.002m)),
            }),
            ObservationEvent("e2", T0 + 1, TraceEventTypes.GenerationUpdate, new ObservationRecord("g1")
            {
                UsageDetails = Usage(("input", 7), ("output", 3)),
                CostDetails = Cost(("input", 0.000123456789m), ("output", 0.000000000001m)),
            }));

        var g = rows.Observations[0];
        Assert.Equal(3, g.UsageDetails!.Count);
        Assert.Equal(7, g.UsageDetails["input"]);
        Assert.Equal(10, g.UsageDetails["total"]);
        Assert.False(g.UsageDetails.ContainsKey("input_cached_tokens"));
        Assert.Equal(0.00012345679m, g.CostDetails!["total"]);
        Assert.Equal(0.00012345679m, g.TotalCost);
    }

    [Fact]
    public void Merge_SentTotals_AreKept()
    {
        var rows = Merge(ObservationEvent("e1", T0, TraceEventTypes.GenerationCreate, new ObservationRecord("g1")
        {
            TraceId = "t1",
            UsageDetails = Usage(("input", 1), ("output", 1), ("total", 5)),
            CostDetails = Cost(("input", 1m), ("total", 3m)),
            TotalCost = 4m,
        }));

        Assert.Equal(5, rows.Observations[0].UsageDetails!["total"]);
        Assert.Equal(3m, rows.Observations[0].CostDetails!["total"]);
        Assert.Equal(4m, rows.Observations[0].TotalCost);
    }

    [Theory]
    [InlineData("span-create", "SPAN")]
    [InlineData("span-update", "SPAN")]
    [InlineData("generation-create", "GENERATION")]
    [InlineData("generation-update", "GENERATION")]
    [InlineData("event-create", "EVENT")]
    [InlineData("agent-create", "AGENT")]
    [InlineData("tool-create", "TOOL")]
    [InlineData("chain-create", "CHAIN")]
    [InlineData("retriever-create", "RETRIEVER")]
    [InlineData("evaluator-create", "EVALUATOR")]
    [InlineData("embedding-create", "EMBEDDING")]
    [InlineData("guardrail-create", "GUARDRAIL")]
    [InlineData("observation-create", "SPAN")]
    public void Merge_ObservationWithoutBodyType_TypeComesFromTheEventType(string eventType, string expected)
    {
        var rows = Merge(ObservationEvent("e1", T0, eventType, new ObservationRecord("o1") { TraceId = "t1" }));

        Assert.Equal(expected, rows.Observations[0].Type);
    }

    [Fact]
    public void Merge_ObservationType_BodyWinsAndAnUpdateEventTypeDoesNotReplaceAKnownType()
    {
        var rows = Merge(
            ObservationEvent("e1", T0, "agent-create", new ObservationRecord("a1") { TraceId = "t1" }),
            ObservationEvent("e2", T0 + 1, TraceEventTypes.SpanUpdate, new ObservationRecord("a1") { Name = "x" }),
            ObservationEvent("e3", T0, TraceEventTypes.SpanCreate, new ObservationRecord("b1") { TraceId = "t1", Type = "tool" }));

        Assert.Equal("AGENT", rows.Observations.Single(o => o.Id == "a1").Type);
        Assert.Equal("TOOL", rows.Observations.Single(o => o.Id == "b1").Type);
    }

    [Fact]
    public void Merge_UpdateWithoutStoredRowOrCreate_CreatesTheRowAtTheEnvelopeTime()
    {
        var rows = Merge(
            ObservationEvent("e1", T0 + 42, TraceEventTypes.GenerationUpdate, new ObservationRecord("g1") { TraceId = "t1", Output = "1" }),
            TraceEvent("e2", T0 + 43, new TraceRecord("t1") { Name = "n" }),
            ScoreEvent("e3", T0 + 44, new ScoreRecord("c1") { TraceId = "t1", Name = "q", Value = 1 }));

        Assert.Equal(T0 + 42, rows.Observations[0].StartTimeMs);
        Assert.Equal("GENERATION", rows.Observations[0].Type);
        Assert.Equal(T0 + 43, rows.Traces[0].TimestampMs);
        Assert.Equal(T0 + 44, rows.Scores[0].TimestampMs);
    }

    [Fact]
    public void Merge_NewRows_GetTheDefaultsAndBookkeeping()
    {
        var rows = Merge(
            TraceEvent("e1", T0, new TraceRecord("t1")),
            ObservationEvent("e2", T0, TraceEventTypes.SpanCreate, new ObservationRecord("s1") { TraceId = "t1" }),
            ScoreEvent("e3", T0, new ScoreRecord("c1") { TraceId = "t1", Name = "q" }));

        var t = rows.Traces[0];
        Assert.Equal("default", t.Environment);
        Assert.False(t.Public);
        Assert.False(t.Bookmarked);
        Assert.Empty(t.Tags!.Value);
        Assert.Equal(T0, t.EventTsMs);
        Assert.Equal(_time.NowMs, t.CreatedAtMs);
        Assert.Equal(_time.NowMs, t.UpdatedAtMs);
        var s = rows.Observations[0];
        Assert.Equal("default", s.Environment);
        Assert.Equal("DEFAULT", s.Level);
        Assert.False(s.CacheHit);
        Assert.Equal(_time.NowMs, s.CreatedAtMs);
        var c = rows.Scores[0];
        Assert.Equal("default", c.Environment);
        Assert.Equal(T0, c.EventTsMs);
        Assert.Equal(_time.NowMs, c.UpdatedAtMs);
    }

    [Fact]
    public void Merge_SentValues_ReplaceDefaults()
    {
        var rows = Merge(
            TraceEvent("e1", T0, new TraceRecord("t1") { Environment = "prod", Public = true, Bookmarked = true }),
            ObservationEvent("e2", T0, TraceEventTypes.GenerationCreate, new ObservationRecord("g1") { TraceId = "t1", Environment = "prod", CacheHit = true }));

        Assert.Equal("prod", rows.Traces[0].Environment);
        Assert.True(rows.Traces[0].Public);
        Assert.True(rows.Traces[0].Bookmarked);
        Assert.Equal("prod", rows.Observations[0].Environment);
        Assert.True(rows.Observations[0].CacheHit);
    }

    [Fact]
    public void Merge_EventTsMs_IsTheNewestEnvelopeTimeNeverBelowTheStoredOne()
    {
        var stored = Merge(TraceEvent("e1", T0 + 1_000, new TraceRecord("t1") { Name = "a" }));
        var createdAt = stored.Traces[0].CreatedAtMs;
        _time.NowMs += 5;

        var older = Merge(stored, TraceEvent("e0", T0, new TraceRecord("t1") { UserId = "u" }));
        var newer = Merge(stored, TraceEvent("e2", T0 + 2_000, new TraceRecord("t1") { UserId = "u" }), TraceEvent("e3", T0 + 1_500, new TraceRecord("t1")));

        Assert.Equal(T0 + 1_000, older.Traces[0].EventTsMs);
        Assert.Equal("u", older.Traces[0].UserId);
        Assert.Equal(T0 + 2_000, newer.Traces[0].EventTsMs);
        Assert.Equal(createdAt, newer.Traces[0].CreatedAtMs);
        Assert.Equal(_time.NowMs, newer.Traces[0].UpdatedAtMs);
    }

    [Fact]
    public void Merge_EqualTimestamps_AreAppliedInBatchOrder()
    {
        var rows = Merge(
            TraceEvent("b", T0, new TraceRecord("t1") { Name = "from b", TimestampMs = T0 }),
            TraceEvent("a", T0, new TraceRecord("t1") { Name = "from a", TimestampMs = T0 + 5 }));

        // The later event in the batch wins the mutable name; the first one set the immutable timestamp.
        Assert.Equal("from a", rows.Traces[0].Name);
        Assert.Equal(T0, rows.Traces[0].TimestampMs);
    }

    [Fact]
    public void Merge_SdkLogAndBodilessEvents_AreIgnored()
    {
        var rows = Merge(
            new TraceEvent("e1", T0, TraceEventTypes.SdkLog),
            new TraceEvent("e2", T0, TraceEventTypes.SdkLog) { Trace = new TraceRecord("t9") { ProjectId = Project } },
            new TraceEvent("e3", T0, TraceEventTypes.TraceCreate));

        Assert.Equal(0, rows.Count);
    }

    [Fact]
    public void Merge_SameIdInTwoProjects_AreTwoRows()
    {
        var rows = Merge(
            TraceEvent("e1", T0, new TraceRecord("t1") { ProjectId = "p1", Name = "one" }),
            TraceEvent("e2", T0, new TraceRecord("t1") { ProjectId = "p2", Name = "two" }));

        Assert.Equal(2, rows.Traces.Length);
        Assert.Equal("one", rows.Traces.Single(t => t.ProjectId == "p1").Name);
        Assert.Equal("two", rows.Traces.Single(t => t.ProjectId == "p2").Name);
    }

    [Fact]
    public void Merge_StoredRowsOfOtherEntities_AreNotWritten()
    {
        var stored = Merge(TraceEvent("e1", T0, new TraceRecord("t1")), TraceEvent("e2", T0, new TraceRecord("t2")));

        var rows = Merge(stored, TraceEvent("e3", T0 + 1, new TraceRecord("t2") { Name = "x" }));

        Assert.Equal("t2", Assert.Single(rows.Traces).Id);
    }

    [Fact]
    public void Merge_BrandNewObservationWithoutTraceId_KeepsItAsSent()
    {
        var rows = Merge(ObservationEvent("e1", T0, TraceEventTypes.EventCreate, new ObservationRecord("o1")));

        Assert.Null(rows.Observations[0].TraceId);
        Assert.Equal("EVENT", rows.Observations[0].Type);
    }

    [Fact]
    public void Merge_Scores_LaterEventOverwritesSentFields()
    {
        var stored = Merge(ScoreEvent("e1", T0, new ScoreRecord("c1") { TraceId = "t1", Name = "q", Value = 0.5, DataType = "NUMERIC", Comment = "meh" }));

        var rows = Merge(stored, ScoreEvent("e2", T0 + 1, new ScoreRecord("c1") { Value = 0.9, Comment = "better" }));

        var c = rows.Scores[0];
        Assert.Equal(0.9, c.Value);
        Assert.Equal("better", c.Comment);
        Assert.Equal("NUMERIC", c.DataType);
        Assert.Equal("q", c.Name);
    }

    [Fact]
    public void KeysOf_Events_EachEntityOncePerTable()
    {
        var keys = TraceEventMerger.KeysOf(
        [
            TraceEvent("e1", T0, new TraceRecord("x")),
            TraceEvent("e2", T0 + 1, new TraceRecord("x")),
            ObservationEvent("e3", T0, TraceEventTypes.SpanCreate, new ObservationRecord("x")),
            ScoreEvent("e4", T0, new ScoreRecord("s")),
            new TraceEvent("e5", T0, TraceEventTypes.SdkLog),
        ]);

        Assert.Equal<EntityKey>([new EntityKey(Project, "x")], keys.Traces);
        Assert.Equal<EntityKey>([new EntityKey(Project, "x")], keys.Observations);
        Assert.Equal<EntityKey>([new EntityKey(Project, "s")], keys.Scores);
        Assert.True(TraceEventMerger.KeysOf([new TraceEvent("e6", T0, TraceEventTypes.SdkLog)]).IsEmpty);
    }

    [Fact]
    public void KeysOf_NewEntities_AreNotReadUnlessAnotherEventAboutThemIsNot()
    {
        var keys = TraceEventMerger.KeysOf(
        [
            TraceEvent("e1", T0, new TraceRecord("fresh")) with { NewEntity = true },
            ObservationEvent("e2", T0, TraceEventTypes.GenerationCreate, new ObservationRecord("g1")) with { NewEntity = true },
            ObservationEvent("e3", T0, TraceEventTypes.GenerationCreate, new ObservationRecord("g2")) with { NewEntity = true },
            ObservationEvent("e4", T0 + 1, TraceEventTypes.GenerationUpdate, new ObservationRecord("g2")),
        ]);

        Assert.Empty(keys.Traces);
        Assert.Equal<EntityKey>([new EntityKey(Project, "g2")], keys.Observations);
    }

    [Fact]
    public void Merge_ReplayedNewEntityOverANewerStoredRow_TheStoreKeepsTheNewerVersion()
    {
        // A new entity's create, replayed after an update reached the store, merges without the stored row: its
        // version is older, so a store that keeps the newer version ignores it.
        var rows = Merge(ObservationEvent("e1", T0, TraceEventTypes.GenerationCreate, new ObservationRecord("g1") { TraceId = "t1" }) with { NewEntity = true });

        Assert.Equal(T0, rows.Observations[0].EventTsMs);
    }
}
