using System.Collections.Immutable;
using HotDash.Analytics;
using HotDash.Grains;

namespace HotDash.Analytics.Tests;

/// <summary>
/// The behaviour every <see cref="IAnalyticsStore"/> must have (docs: STORE-SEMANTICS), written against the interface
/// only. A store's test class derives from this and supplies a fresh, empty, migrated store per test; xunit makes a new
/// instance per test, so every test sees only its own rows.
/// </summary>
public abstract partial class AnalyticsStoreContract : IAsyncLifetime
{
    /// <summary>The project every test writes to; <see cref="Other"/> proves queries stay inside one project.</summary>
    protected const string P = "proj-1";

    /// <summary>A second project.</summary>
    protected const string Other = "proj-2";

    /// <summary>2025-03-10T12:00:00Z in epoch ms: the base time of most fixtures.</summary>
    protected static readonly long T0 = new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly List<IAnalyticsStore> _stores = [];

    /// <summary>A fresh, empty, migrated store (each call a new one).</summary>
    protected abstract Task<IAnalyticsStore> CreateStoreAsync();

    /// <summary>Releases a store <see cref="CreateStoreAsync"/> made (drop its database, delete its file, ...).</summary>
    protected virtual Task DisposeStoreAsync(IAnalyticsStore store) => Task.CompletedTask;

    /// <summary>Marks one stored row (<c>traces</c>, <c>observations</c> or <c>scores</c>) deleted, as a deletion on the store's side does.</summary>
    protected abstract Task MarkDeletedAsync(IAnalyticsStore store, string table, EntityKey key);

    /// <summary>False when the store's server is missing outside CI: each test then returns early (under CI the
    /// subclass fails instead, following <see cref="Prerequisite"/>).</summary>
    protected virtual bool IsAvailable() => true;

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await DisposeStoreAsync(store);
        }
    }

    private async Task<IAnalyticsStore?> StoreAsync()
    {
        if (!IsAvailable())
        {
            return null;
        }
        var store = await CreateStoreAsync();
        _stores.Add(store);
        return store;
    }

    // ---------------------------------------------------------------- fixtures

    /// <summary>A complete minimal trace row as the writer merges it.</summary>
    protected static TraceRecord Trace(string id, long timestampMs, string project = P, long eventTs = 1) => new(id)
    {
        ProjectId = project,
        TimestampMs = timestampMs,
        CreatedAtMs = eventTs,
        UpdatedAtMs = eventTs,
        EventTsMs = eventTs,
    };

    /// <summary>A complete minimal observation row.</summary>
    protected static ObservationRecord Observation(string id, string traceId, long startMs, string type = "GENERATION", string project = P, long eventTs = 1) => new(id)
    {
        ProjectId = project,
        TraceId = traceId,
        Type = type,
        StartTimeMs = startMs,
        CreatedAtMs = eventTs,
        UpdatedAtMs = eventTs,
        EventTsMs = eventTs,
    };

    /// <summary>A complete minimal score row.</summary>
    protected static ScoreRecord Score(string id, string? traceId, long timestampMs, string name = "quality", string project = P, long eventTs = 1) => new(id)
    {
        ProjectId = project,
        TraceId = traceId,
        TimestampMs = timestampMs,
        Name = name,
        CreatedAtMs = eventTs,
        UpdatedAtMs = eventTs,
        EventTsMs = eventTs,
    };

    /// <summary>Rows for one write.</summary>
    protected static AnalyticsRows Rows(IEnumerable<TraceRecord>? traces = null, IEnumerable<ObservationRecord>? observations = null, IEnumerable<ScoreRecord>? scores = null) =>
        new([.. traces ?? []], [.. observations ?? []], [.. scores ?? []]);

    private static long Ms(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int millisecond = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static ImmutableDictionary<string, string> Meta(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);

    // The read-back normalisation every store applies (STORE-SEMANTICS).
    private static TraceRecord Normalised(TraceRecord t) => t with
    {
        Environment = t.Environment ?? "default",
        Public = t.Public ?? false,
        Bookmarked = t.Bookmarked ?? false,
        Tags = t.Tags ?? [],
        Metadata = t.Metadata ?? ImmutableDictionary<string, string>.Empty,
    };

    private static ObservationRecord Normalised(ObservationRecord o) => o with
    {
        Environment = o.Environment ?? "default",
        Level = o.Level ?? "DEFAULT",
        CacheHit = o.CacheHit ?? false,
        Metadata = o.Metadata ?? ImmutableDictionary<string, string>.Empty,
        UsageDetails = o.UsageDetails ?? ImmutableDictionary<string, long>.Empty,
        CostDetails = o.CostDetails ?? ImmutableDictionary<string, decimal>.Empty,
    };

    private static ScoreRecord Normalised(ScoreRecord s) => s with
    {
        Environment = s.Environment ?? "default",
        Metadata = s.Metadata ?? ImmutableDictionary<string, string>.Empty,
    };

    // Records compare their collections by reference, so collections are compared as sorted sequences here.
    private static void AssertSame(TraceRecord expected, TraceRecord actual)
    {
        Assert.Equal(expected with { Tags = null, Metadata = null }, actual with { Tags = null, Metadata = null });
        Assert.NotNull(actual.Tags);
        Assert.Equal(expected.Tags!.Value.AsEnumerable(), actual.Tags!.Value.AsEnumerable());
        AssertSameMap(expected.Metadata, actual.Metadata);
    }

    private static void AssertSame(ObservationRecord expected, ObservationRecord actual)
    {
        Assert.Equal(expected with { Metadata = null, UsageDetails = null, CostDetails = null }, actual with { Metadata = null, UsageDetails = null, CostDetails = null });
        AssertSameMap(expected.Metadata, actual.Metadata);
        AssertSameMap(expected.UsageDetails, actual.UsageDetails);
        AssertSameMap(expected.CostDetails, actual.CostDetails);
    }

    private static void AssertSame(ScoreRecord expected, ScoreRecord actual)
    {
        Assert.Equal(expected with { Metadata = null }, actual with { Metadata = null });
        AssertSameMap(expected.Metadata, actual.Metadata);
    }

    private static void AssertSameMap<T>(ImmutableDictionary<string, T>? expected, ImmutableDictionary<string, T>? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(
            expected!.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)),
            actual.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
    }

    private static IEnumerable<string> Ids(IEnumerable<TraceSummary> items) => items.Select(i => i.Trace.Id);

    private static TraceRecord FullTrace() => new("trace-full")
    {
        ProjectId = P,
        TimestampMs = T0 + 123,
        Name = "chat \"turn\" 'one' \\ back",
        UserId = "user-ünïcødé-日本",
        SessionId = "session-1",
        Release = "v1.2.3\nline2",
        Version = "7",
        Environment = "production",
        Public = true,
        Bookmarked = true,
        Tags = ["b-tag", "a-tag", "emoji-🚀"],
        Input = "{ \"messages\" : [ {\"role\":\"user\", \"content\":\"héllo\\n\\\"x\\\"\"} ],\n  \"n\": 1.50 }",
        Output = "\"just a string with 'quotes' and \\\\ backslashes\"",
        Metadata = Meta(("trace_user_id", "u-7"), ("nested", "{\"a\":[1,2]}"), ("ключ", "значение\twith tab")),
        CreatedAtMs = T0 + 1000,
        UpdatedAtMs = T0 + 2000,
        EventTsMs = T0 + 3000,
    };

    private static ObservationRecord FullObservation() => new("obs-full")
    {
        ProjectId = P,
        TraceId = "trace-full",
        Type = "GENERATION",
        ParentObservationId = "span-parent",
        Environment = "production",
        StartTimeMs = T0 + 200,
        EndTimeMs = T0 + 1450,
        CompletionStartTimeMs = T0 + 300,
        Name = "llm-call ✓",
        Level = "WARNING",
        StatusMessage = "rate limited \"once\"\nretried",
        Version = "v2",
        Input = "[{\"role\":\"user\",\"content\":\"hi\"}]",
        Output = "{\"role\":\"assistant\",\"content\":\"hello 👋\"}",
        Metadata = Meta(("k", "v"), ("number", "42")),
        ModelParameters = "{\"temperature\":0.7,\"max_tokens\":256}",
        Model = "gpt-4o-mini",
        UsageDetails = ImmutableDictionary<string, long>.Empty
            .Add(UsageKeys.Input, 12).Add(UsageKeys.Output, 5).Add(UsageKeys.Total, 17)
            .Add(UsageKeys.InputCached, 9_007_199_254_740_993L),
        CostDetails = ImmutableDictionary<string, decimal>.Empty
            .Add(UsageKeys.Input, 0.000123456789m).Add(UsageKeys.Output, 0.000000000001m).Add(UsageKeys.Total, 999999.999999999999m),
        TotalCost = 0.000123456789m,
        PromptName = "summarise",
        PromptVersion = 3,
        ModelGroup = "small",
        Deployment = "dep-1",
        TeamId = "team-a",
        KeyAlias = "alias-1",
        EndUser = "end-user-9",
        CacheHit = true,
        CreatedAtMs = T0 + 1500,
        UpdatedAtMs = T0 + 1600,
        EventTsMs = T0 + 1700,
    };

    private static ScoreRecord FullScore() => new("score-full")
    {
        ProjectId = P,
        TraceId = "trace-full",
        SessionId = "session-1",
        ObservationId = "obs-full",
        TimestampMs = T0 + 5000,
        Name = "helpfulness",
        // Not exactly representable as short decimal text; some JSON parsers read it one ulp off.
        Value = 1.3436424411240123e-05,
        StringValue = "good ✓",
        DataType = "NUMERIC",
        Source = "API",
        Comment = "multi\nline 'comment' \"here\"",
        Metadata = Meta(("reviewer", "ann")),
        Environment = "production",
        ConfigId = "config-1",
        CreatedAtMs = T0 + 5100,
        UpdatedAtMs = T0 + 5200,
        EventTsMs = T0 + 5300,
    };

    // ---------------------------------------------------------------- basics

    [Fact]
    public async Task Kind_AnyStore_IsClickhouseOrDuckdb()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        Assert.Contains(store.Kind, new[] { "clickhouse", "duckdb" });
    }

    [Fact]
    public async Task Ping_MigratedStore_Succeeds()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        await store.PingAsync();
    }

    [Fact]
    public async Task Migrate_SecondTime_KeepsRows()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t1", T0)], [Observation("o1", "t1", T0)], [Score("s1", "t1", T0)]));

        await store.MigrateAsync();

        Assert.Single(await store.GetTracesAsync([new(P, "t1")]));
        Assert.Single(await store.GetObservationsAsync([new(P, "o1")]));
        Assert.Single(await store.GetScoresAsync([new(P, "s1")]));
    }

    [Fact]
    public async Task Write_EmptyRows_WritesNothing()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        await store.WriteAsync(AnalyticsRows.Empty);

        Assert.Equal(0, (await store.QueryTracesAsync(new TraceQuery(P, 1, 50))).TotalItems);
    }

    [Fact]
    public async Task Queries_EmptyStore_ReturnEmptyPagesAndNulls()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        var traces = await store.QueryTracesAsync(new TraceQuery(P, 1, 50));
        var observations = await store.QueryObservationsAsync(new ObservationQuery(P, 1, 50));
        var scores = await store.QueryScoresAsync(new ScoreQuery(P, 1, 50));
        var sessions = await store.QuerySessionsAsync(new SessionQuery(P, 1, 50));
        var daily = await store.QueryDailyMetricsAsync(new DailyMetricsQuery(P, 1, 50));

        Assert.Empty(traces.Items);
        Assert.Equal(0, traces.TotalItems);
        Assert.Empty(observations.Items);
        Assert.Equal(0, observations.TotalItems);
        Assert.Empty(scores.Items);
        Assert.Equal(0, scores.TotalItems);
        Assert.Empty(sessions.Items);
        Assert.Equal(0, sessions.TotalItems);
        Assert.Empty(daily.Items);
        Assert.Equal(0, daily.TotalItems);
        Assert.Null(await store.GetTraceAsync(P, "nope"));
        Assert.Null(await store.GetSessionAsync(P, "nope"));
        Assert.Empty(await store.GetTracesAsync([new(P, "nope")]));
        Assert.Empty(await store.GetTracesAsync([]));
        Assert.Empty(await store.GetObservationsAsync([]));
        Assert.Empty(await store.GetScoresAsync([]));
    }

    // ---------------------------------------------------------------- round trips

    [Fact]
    public async Task WriteTrace_EveryFieldSet_ReadsBackIdentical()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var trace = FullTrace();

        await store.WriteAsync(Rows([trace]));

        AssertSame(trace, Assert.Single(await store.GetTracesAsync([new(P, trace.Id)])));
        var detail = await store.GetTraceAsync(P, trace.Id);
        Assert.NotNull(detail);
        AssertSame(trace, detail.Summary.Trace);
        AssertSame(trace, Assert.Single((await store.QueryTracesAsync(new TraceQuery(P, 1, 10))).Items).Trace);
    }

    [Fact]
    public async Task WriteTrace_OnlyRequiredFields_ReadsBackNormalised()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var trace = Trace("t-sparse", T0);

        await store.WriteAsync(Rows([trace]));

        var read = Assert.Single(await store.GetTracesAsync([new(P, trace.Id)]));
        AssertSame(Normalised(trace), read);
        Assert.Equal("default", read.Environment);
        Assert.False(read.Public);
        Assert.False(read.Bookmarked);
        Assert.Null(read.Name);
        Assert.Null(read.UserId);
        Assert.Null(read.SessionId);
        Assert.Null(read.Release);
        Assert.Null(read.Version);
        Assert.Null(read.Input);
        Assert.Null(read.Output);
    }

    [Fact]
    public async Task WriteTrace_EmptyStringsAndEmptyJson_ReadBackAsEmptyNotNull()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var trace = Trace("t-empty", T0) with { UserId = "", Input = "{}", Output = "null", Release = "" };

        await store.WriteAsync(Rows([trace]));

        AssertSame(Normalised(trace), Assert.Single(await store.GetTracesAsync([new(P, trace.Id)])));
    }

    [Fact]
    public async Task WriteObservation_EveryFieldSet_ReadsBackIdenticalWithExactDecimalsAndLongs()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var observation = FullObservation();

        await store.WriteAsync(Rows(observations: [observation]));

        var read = Assert.Single(await store.GetObservationsAsync([new(P, observation.Id)]));
        AssertSame(observation, read);
        Assert.Equal(0.000123456789m, read.TotalCost);
        Assert.Equal(9_007_199_254_740_993L, read.UsageDetails![UsageKeys.InputCached]);
        Assert.Equal(999999.999999999999m, read.CostDetails![UsageKeys.Total]);
        AssertSame(observation, Assert.Single((await store.QueryObservationsAsync(new ObservationQuery(P, 1, 10))).Items));
    }

    [Fact]
    public async Task WriteObservation_OnlyRequiredFields_ReadsBackNormalised()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var observation = Observation("o-sparse", "t-x", T0, type: "SPAN");

        await store.WriteAsync(Rows(observations: [observation]));

        var read = Assert.Single(await store.GetObservationsAsync([new(P, observation.Id)]));
        AssertSame(Normalised(observation), read);
        Assert.Null(read.Name);
        Assert.Equal("DEFAULT", read.Level);
        Assert.Equal("default", read.Environment);
        Assert.False(read.CacheHit);
        Assert.Null(read.TotalCost);
        Assert.Null(read.EndTimeMs);
        Assert.Null(read.CompletionStartTimeMs);
        Assert.Null(read.PromptVersion);
        Assert.Null(read.Model);
        Assert.Empty(read.UsageDetails!);
        Assert.Empty(read.CostDetails!);
    }

    [Fact]
    public async Task WriteObservation_ZeroCostAndZeroUsage_ReadBackAsZeroNotNull()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var observation = Observation("o-zero", "t-x", T0) with
        {
            TotalCost = 0m,
            PromptVersion = 0,
            EndTimeMs = T0,
            UsageDetails = ImmutableDictionary<string, long>.Empty.Add(UsageKeys.Input, 0),
            CostDetails = ImmutableDictionary<string, decimal>.Empty.Add(UsageKeys.Total, 0m),
        };

        await store.WriteAsync(Rows(observations: [observation]));

        AssertSame(Normalised(observation), Assert.Single(await store.GetObservationsAsync([new(P, observation.Id)])));
    }

    [Fact]
    public async Task WriteScore_EveryFieldSet_ReadsBackIdenticalWithExactDouble()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var score = FullScore();

        await store.WriteAsync(Rows(scores: [score]));

        var read = Assert.Single(await store.GetScoresAsync([new(P, score.Id)]));
        AssertSame(score, read);
        Assert.Equal(BitConverter.DoubleToInt64Bits(1.3436424411240123e-05), BitConverter.DoubleToInt64Bits(read.Value!.Value));
        AssertSame(score, Assert.Single((await store.QueryScoresAsync(new ScoreQuery(P, 1, 10))).Items));
    }

    [Fact]
    public async Task WriteScore_OnlyRequiredFields_ReadsBackNormalised()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var score = Score("s-sparse", null, T0);

        await store.WriteAsync(Rows(scores: [score]));

        var read = Assert.Single(await store.GetScoresAsync([new(P, score.Id)]));
        AssertSame(Normalised(score), read);
        Assert.Null(read.Value);
        Assert.Null(read.TraceId);
        Assert.Null(read.SessionId);
        Assert.Null(read.ObservationId);
        Assert.Null(read.StringValue);
        Assert.Null(read.DataType);
        Assert.Null(read.Source);
        Assert.Null(read.Comment);
        Assert.Null(read.ConfigId);
        Assert.Equal("default", read.Environment);
    }

    [Fact]
    public async Task WriteScore_ManyDoubles_EveryValueReadsBackBitExact()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var random = new Random(7);
        var values = Enumerable.Range(0, 200).Select(i => random.NextDouble() * Math.Pow(10, random.Next(-6, 7)) * (i % 2 == 0 ? 1 : -1)).ToList();
        values.AddRange([0.0, 1.0, -1.0, double.Epsilon, double.MaxValue, double.MinValue, 0.1, 1.0 / 3]);
        var scores = values.Select((v, i) => Score($"s{i:D4}", "t", T0 + i) with { Value = v }).ToList();

        await store.WriteAsync(Rows(scores: scores));

        var read = (await store.GetScoresAsync(scores.Select(s => new EntityKey(P, s.Id)).ToList())).ToDictionary(s => s.Id);
        Assert.Equal(scores.Count, read.Count);
        foreach (var score in scores)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(score.Value!.Value), BitConverter.DoubleToInt64Bits(read[score.Id].Value!.Value));
        }
    }

    [Fact]
    public async Task GetByKeys_MissingIdsAndOtherProjects_ReturnsOnlyTheRowsAsked()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t1", T0) with { Name = "mine" }, Trace("t1", T0, Other) with { Name = "theirs" }, Trace("t2", T0)],
            [Observation("o1", "t1", T0) with { Name = "mine" }, Observation("o1", "t1", T0, project: Other) with { Name = "theirs" }],
            [Score("s1", "t1", T0) with { Comment = "mine" }, Score("s1", "t1", T0, project: Other) with { Comment = "theirs" }]));

        var traces = await store.GetTracesAsync([new(P, "t1"), new(P, "missing"), new(Other, "t1")]);
        var observations = await store.GetObservationsAsync([new(Other, "o1"), new(Other, "missing")]);
        var scores = await store.GetScoresAsync([new(P, "s1")]);

        Assert.Equal([(P, "mine"), (Other, "theirs")], traces.Select(t => (t.ProjectId, t.Name)).OrderBy(x => x.ProjectId, StringComparer.Ordinal));
        var observation = Assert.Single(observations);
        Assert.Equal((Other, "theirs"), (observation.ProjectId, observation.Name));
        Assert.Equal("mine", Assert.Single(scores).Comment);
    }

    [Fact]
    public async Task GetByKeys_HostileIds_AreDataNotSql()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        const string hostile = "x' OR '1'='1\\'); DROP TABLE traces; --";
        await store.WriteAsync(Rows([Trace(hostile, T0) with { Name = hostile }, Trace("plain", T0)]));

        var read = await store.GetTracesAsync([new(P, hostile)]);
        var page = await store.QueryTracesAsync(new TraceQuery(P, 1, 10) { Name = hostile });

        Assert.Equal(hostile, Assert.Single(read).Id);
        Assert.Equal(hostile, Assert.Single(page.Items).Trace.Id);
        Assert.Null(await store.GetTraceAsync(P, "' OR 1=1 --"));
    }

    // ---------------------------------------------------------------- identity and replacement

    [Fact]
    public async Task Write_SameRowsWithNewerEventTs_ReplacesEachRow()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t1", T0, eventTs: 10) with { Name = "old" }], [Observation("o1", "t1", T0, eventTs: 10) with { Name = "old" }], [Score("s1", "t1", T0, eventTs: 10) with { Comment = "old" }]));

        await store.WriteAsync(Rows([Trace("t1", T0, eventTs: 20) with { Name = "new" }], [Observation("o1", "t1", T0, eventTs: 20) with { Name = "new" }], [Score("s1", "t1", T0, eventTs: 20) with { Comment = "new" }]));

        var trace = Assert.Single(await store.GetTracesAsync([new(P, "t1")]));
        Assert.Equal(("new", 20L), (trace.Name, trace.EventTsMs));
        Assert.Equal("new", Assert.Single(await store.GetObservationsAsync([new(P, "o1")])).Name);
        Assert.Equal("new", Assert.Single(await store.GetScoresAsync([new(P, "s1")])).Comment);
        Assert.Equal("new", Assert.Single((await store.QueryTracesAsync(new TraceQuery(P, 1, 10))).Items).Trace.Name);
    }

    [Fact]
    public async Task Write_OlderEventTsAfterNewer_KeepsTheNewerRow()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t1", T0, eventTs: 20) with { Name = "new" }], [Observation("o1", "t1", T0, eventTs: 20) with { Name = "new" }], [Score("s1", "t1", T0, eventTs: 20) with { Comment = "new" }]));

        await store.WriteAsync(Rows([Trace("t1", T0, eventTs: 10) with { Name = "old" }], [Observation("o1", "t1", T0, eventTs: 10) with { Name = "old" }], [Score("s1", "t1", T0, eventTs: 10) with { Comment = "old" }]));

        Assert.Equal("new", Assert.Single(await store.GetTracesAsync([new(P, "t1")])).Name);
        Assert.Equal("new", Assert.Single(await store.GetObservationsAsync([new(P, "o1")])).Name);
        Assert.Equal("new", Assert.Single(await store.GetScoresAsync([new(P, "s1")])).Comment);
        Assert.Equal("new", Assert.Single((await store.QueryObservationsAsync(new ObservationQuery(P, 1, 10))).Items).Name);
        Assert.Equal("new", Assert.Single((await store.QueryScoresAsync(new ScoreQuery(P, 1, 10))).Items).Comment);
    }

    [Fact]
    public async Task Write_AllNewRowsThatExistAfterAll_KeepTheUpsertRule()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t1", T0, eventTs: 20) with { Name = "new" }], [Observation("o1", "t1", T0, eventTs: 20) with { Name = "new" }]) with { AllNew = true });

        // The same entities again, marked new although they are stored: an older copy must not replace them, a newer one must.
        await store.WriteAsync(Rows([Trace("t1", T0, eventTs: 10) with { Name = "old" }, Trace("t2", T0, eventTs: 10)], [Observation("o1", "t1", T0, eventTs: 10) with { Name = "old" }]) with { AllNew = true });
        await store.WriteAsync(Rows(observations: [Observation("o1", "t1", T0, eventTs: 30) with { Name = "newest" }]) with { AllNew = true });

        Assert.Equal("new", Assert.Single(await store.GetTracesAsync([new(P, "t1")])).Name);
        Assert.Single(await store.GetTracesAsync([new(P, "t2")]));
        Assert.Equal("newest", Assert.Single(await store.GetObservationsAsync([new(P, "o1")])).Name);
        Assert.Equal(2, (await store.QueryTracesAsync(new TraceQuery(P, 1, 10))).Items.Length);
    }

    [Fact]
    public async Task Write_SameBatchTwice_EveryRowCountsOnceEverywhere()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var rows = Rows(
            [Trace("t1", T0) with { SessionId = "sess", UserId = "u1" }],
            [Observation("o1", "t1", T0) with { Model = "m", TotalCost = 0.5m, UsageDetails = ImmutableDictionary<string, long>.Empty.Add("input", 10) },
             Observation("o2", "t1", T0 + 1000) with { TotalCost = 0.25m }],
            [Score("s1", "t1", T0)]);

        await store.WriteAsync(rows);
        await store.WriteAsync(rows);

        var traces = await store.QueryTracesAsync(new TraceQuery(P, 1, 10));
        Assert.Equal(1, traces.TotalItems);
        var summary = Assert.Single(traces.Items);
        Assert.Equal(["o1", "o2"], summary.ObservationIds.AsEnumerable());
        Assert.Equal(["s1"], summary.ScoreIds.AsEnumerable());
        Assert.Equal(0.75m, summary.TotalCost);
        var observations = await store.QueryObservationsAsync(new ObservationQuery(P, 1, 10));
        Assert.Equal(2, observations.TotalItems);
        Assert.Equal(2, observations.Items.Length);
        var scores = await store.QueryScoresAsync(new ScoreQuery(P, 1, 10));
        Assert.Equal(1, scores.TotalItems);
        Assert.Single(scores.Items);
        var sessions = await store.QuerySessionsAsync(new SessionQuery(P, 1, 10));
        Assert.Equal(1, sessions.TotalItems);
        var session = await store.GetSessionAsync(P, "sess");
        Assert.Single(session!.Traces);
        var detail = await store.GetTraceAsync(P, "t1");
        Assert.Equal(2, detail!.Observations.Length);
        Assert.Single(detail.Scores);
        var day = Assert.Single((await store.QueryDailyMetricsAsync(new DailyMetricsQuery(P, 1, 10))).Items);
        Assert.Equal((1L, 2L, 0.75m), (day.CountTraces, day.CountObservations, day.TotalCost));
        var usage = Assert.Single(day.Usage.AsEnumerable());
        Assert.Equal(("m", 10L, 1L, 1L, 0.5m), (usage.Model, usage.InputUsage, usage.CountTraces, usage.CountObservations, usage.TotalCost));
        Assert.Single(await store.GetTracesAsync([new(P, "t1")]));
        Assert.Equal(2, (await store.GetObservationsAsync([new(P, "o1"), new(P, "o2")])).Count);
    }

    [Fact]
    public async Task Write_SameIdTwiceInOneBatch_NewestEventTsWins()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        await store.WriteAsync(Rows([Trace("t1", T0, eventTs: 30) with { Name = "newest" }, Trace("t1", T0, eventTs: 5) with { Name = "oldest" }]));

        var page = await store.QueryTracesAsync(new TraceQuery(P, 1, 10));
        Assert.Equal(1, page.TotalItems);
        Assert.Equal("newest", Assert.Single(page.Items).Trace.Name);
    }

    // ---------------------------------------------------------------- traces

    [Fact]
    public async Task QueryTraces_DefaultOrder_NewestFirstTiesByIdDescending()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("a", T0), Trace("b", T0 + 1), Trace("c", T0), Trace("d", T0 - 5)]));

        var page = await store.QueryTracesAsync(new TraceQuery(P, 1, 10));

        Assert.Equal(["b", "c", "a", "d"], Ids(page.Items));
        Assert.Equal(4, page.TotalItems);
    }

    [Fact]
    public async Task QueryTraces_Ascending_OldestFirstTiesByIdAscending()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("a", T0), Trace("b", T0 + 1), Trace("c", T0), Trace("d", T0 - 5)]));

        var page = await store.QueryTracesAsync(new TraceQuery(P, 1, 10) { OrderBy = "timestamp", Ascending = true });

        Assert.Equal(["d", "a", "c", "b"], Ids(page.Items));
    }

    [Fact]
    public async Task QueryTraces_OrderByOtherColumns_SortsByThatColumnThenId()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([
            Trace("t1", T0) with { Name = "beta", UserId = "u2", Release = "r1", Version = "v3", SessionId = "s2", Public = true, Bookmarked = false },
            Trace("t2", T0 + 1) with { Name = "alpha", UserId = "u3", Release = "r3", Version = "v1", SessionId = "s1", Public = false, Bookmarked = true },
            Trace("t3", T0 + 2) with { Name = "beta", UserId = "u1", Release = "r2", Version = "v2", SessionId = "s3", Public = true, Bookmarked = false },
        ]));

        async Task<IEnumerable<string>> Order(string column, bool ascending) =>
            Ids((await store.QueryTracesAsync(new TraceQuery(P, 1, 10) { OrderBy = column, Ascending = ascending })).Items);

        Assert.Equal(["t2", "t1", "t3"], await Order("name", true));
        Assert.Equal(["t3", "t1", "t2"], await Order("name", false));
        Assert.Equal(["t3", "t1", "t2"], await Order("userId", true));
        Assert.Equal(["t2", "t3", "t1"], await Order("release", false));
        Assert.Equal(["t2", "t3", "t1"], await Order("version", true));
        Assert.Equal(["t2", "t1", "t3"], await Order("sessionId", true));
        Assert.Equal(["t3", "t1", "t2"], await Order("public", false));
        Assert.Equal(["t1", "t3", "t2"], await Order("bookmarked", true));
        Assert.Equal(["t3", "t2", "t1"], await Order("id", false));
        Assert.Equal(["t1", "t2", "t3"], await Order("timestamp", true));
    }

    [Fact]
    public async Task QueryTraces_Paging_ReturnsThatPageAndTheTotal()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(Enumerable.Range(0, 7).Select(i => Trace($"t{i}", T0 + i))));

        var first = await store.QueryTracesAsync(new TraceQuery(P, 1, 3));
        var second = await store.QueryTracesAsync(new TraceQuery(P, 2, 3));
        var last = await store.QueryTracesAsync(new TraceQuery(P, 3, 3));
        var beyond = await store.QueryTracesAsync(new TraceQuery(P, 4, 3));

        Assert.Equal(["t6", "t5", "t4"], Ids(first.Items));
        Assert.Equal(["t3", "t2", "t1"], Ids(second.Items));
        Assert.Equal(["t0"], Ids(last.Items));
        Assert.Empty(beyond.Items);
        Assert.All(new[] { first, second, last, beyond }, p => Assert.Equal(7, p.TotalItems));
    }

    [Fact]
    public async Task QueryTraces_ExactFilters_MatchOnlyEqualValuesAndCombineWithAnd()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([
            Trace("t1", T0) with { UserId = "u1", Name = "chat", SessionId = "s1", Version = "v1", Release = "r1" },
            Trace("t2", T0 + 1) with { UserId = "u1", Name = "embed", SessionId = "s2", Version = "v2", Release = "r1" },
            Trace("t3", T0 + 2) with { UserId = "u2", Name = "chat", SessionId = "s1", Version = "v1", Release = "r2" },
            Trace("t4", T0 + 3),
            Trace("t5", T0 + 4, Other) with { UserId = "u1", Name = "chat" },
        ]));

        async Task<IEnumerable<string>> Find(TraceQuery q) => Ids((await store.QueryTracesAsync(q)).Items).Order(StringComparer.Ordinal);
        var all = new TraceQuery(P, 1, 50);

        Assert.Equal(["t1", "t2"], await Find(all with { UserId = "u1" }));
        Assert.Equal(["t1", "t3"], await Find(all with { Name = "chat" }));
        Assert.Equal(["t1", "t3"], await Find(all with { SessionId = "s1" }));
        Assert.Equal(["t2"], await Find(all with { Version = "v2" }));
        Assert.Equal(["t3"], await Find(all with { Release = "r2" }));
        Assert.Equal(["t1"], await Find(all with { UserId = "u1", Name = "chat" }));
        Assert.Empty(await Find(all with { UserId = "u2", Release = "r1" }));
        Assert.Empty(await Find(all with { Name = "cha" }));
        Assert.Equal(["t1", "t2", "t3", "t4"], await Find(all));
        Assert.Equal(2, (await store.QueryTracesAsync(all with { UserId = "u1", Limit = 1 })).TotalItems);
    }

    [Fact]
    public async Task QueryTraces_TimestampRange_FromInclusiveToExclusive()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t1", T0 - 1), Trace("t2", T0), Trace("t3", T0 + 999), Trace("t4", T0 + 1000)]));

        var page = await store.QueryTracesAsync(new TraceQuery(P, 1, 10) { FromTimestampMs = T0, ToTimestampMs = T0 + 1000 });
        var from = await store.QueryTracesAsync(new TraceQuery(P, 1, 10) { FromTimestampMs = T0 + 999 });
        var to = await store.QueryTracesAsync(new TraceQuery(P, 1, 10) { ToTimestampMs = T0 });

        Assert.Equal(["t3", "t2"], Ids(page.Items));
        Assert.Equal(2, page.TotalItems);
        Assert.Equal(["t4", "t3"], Ids(from.Items));
        Assert.Equal(["t1"], Ids(to.Items));
    }

    [Fact]
    public async Task QueryTraces_Tags_TraceMustHaveEveryTag()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([
            Trace("t1", T0) with { Tags = ["a", "b", "c"] },
            Trace("t2", T0 + 1) with { Tags = ["a"] },
            Trace("t3", T0 + 2) with { Tags = ["b", "a"] },
            Trace("t4", T0 + 3),
        ]));

        async Task<IEnumerable<string>> Find(params string[] tags) =>
            Ids((await store.QueryTracesAsync(new TraceQuery(P, 1, 10) { Tags = [.. tags] })).Items).Order(StringComparer.Ordinal);

        Assert.Equal(["t1", "t2", "t3"], await Find("a"));
        Assert.Equal(["t1", "t3"], await Find("a", "b"));
        Assert.Equal(["t1"], await Find("c", "a"));
        Assert.Empty(await Find("a", "z"));
        Assert.Equal(["t1", "t2", "t3", "t4"], await Find());
    }

    [Fact]
    public async Task QueryTraces_Environments_MatchAnyWithUnsetAsDefault()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([
            Trace("t1", T0) with { Environment = "production" },
            Trace("t2", T0 + 1) with { Environment = "staging" },
            Trace("t3", T0 + 2),
            Trace("t4", T0 + 3) with { Environment = "default" },
        ]));

        async Task<IEnumerable<string>> Find(params string[] environments) =>
            Ids((await store.QueryTracesAsync(new TraceQuery(P, 1, 10) { Environments = [.. environments] })).Items).Order(StringComparer.Ordinal);

        Assert.Equal(["t1"], await Find("production"));
        Assert.Equal(["t1", "t2"], await Find("production", "staging"));
        Assert.Equal(["t3", "t4"], await Find("default"));
        Assert.Empty(await Find("dev"));
        Assert.Equal(["t1", "t2", "t3", "t4"], await Find());
    }

    [Fact]
    public async Task QueryTraces_Summaries_IdsOrderedLatencyAndCostFromObservations()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t1", T0), Trace("t2", T0 - 10), Trace("t3", T0 - 20)],
            [
                // t1: starts T0+100 .. ends T0+2600 (o-b's end); o-c has no end, its start counts.
                Observation("o-b", "t1", T0 + 100) with { EndTimeMs = T0 + 2600, TotalCost = 0.000123456789m },
                Observation("o-a", "t1", T0 + 100) with { EndTimeMs = T0 + 200, TotalCost = 0.000000000001m },
                Observation("o-c", "t1", T0 + 1500),
                Observation("o-0", "t1", T0 + 400) with { TotalCost = 1.5m },
                // t2: one observation without an end: latency 0; its cost.
                Observation("o-x", "t2", T0 + 5000) with { TotalCost = 2m },
                // t2: an end before a later start: the later start is the max.
                Observation("o-y", "t2", T0 + 5000) with { EndTimeMs = T0 + 5001 },
                Observation("o-z", "t2", T0 + 5500),
                // other project, same trace id: not t1's.
                Observation("o-other", "t1", T0, project: Other) with { TotalCost = 100m, EndTimeMs = T0 + 99_000 },
            ],
            [
                Score("s-b", "t1", T0 + 50), Score("s-a", "t1", T0 + 50), Score("s-0", "t1", T0 + 10),
                Score("s-other", "t1", T0, project: Other), Score("s-t2", "t2", T0),
            ]));

        var page = await store.QueryTracesAsync(new TraceQuery(P, 1, 10));

        var items = page.Items.ToDictionary(i => i.Trace.Id);
        Assert.Equal(["o-a", "o-b", "o-0", "o-c"], items["t1"].ObservationIds.AsEnumerable());
        Assert.Equal(["s-0", "s-a", "s-b"], items["t1"].ScoreIds.AsEnumerable());
        Assert.Equal(2.5, items["t1"].LatencySeconds);
        Assert.Equal(1.500123456790m, items["t1"].TotalCost);
        Assert.Equal(["o-x", "o-y", "o-z"], items["t2"].ObservationIds.AsEnumerable());
        Assert.Equal(["s-t2"], items["t2"].ScoreIds.AsEnumerable());
        Assert.Equal(0.5, items["t2"].LatencySeconds);
        Assert.Equal(2m, items["t2"].TotalCost);
        Assert.Empty(items["t3"].ObservationIds.AsEnumerable());
        Assert.Empty(items["t3"].ScoreIds.AsEnumerable());
        Assert.Equal(0, items["t3"].LatencySeconds);
        Assert.Equal(0m, items["t3"].TotalCost);
    }

    [Fact]
    public async Task QueryTraces_OtherProject_IsNeverSeen()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t1", T0, Other)]));

        var page = await store.QueryTracesAsync(new TraceQuery(P, 1, 10));

        Assert.Empty(page.Items);
        Assert.Equal(0, page.TotalItems);
        Assert.Single((await store.QueryTracesAsync(new TraceQuery(Other, 1, 10))).Items);
    }

    // ---------------------------------------------------------------- single trace

    [Fact]
    public async Task GetTrace_Stored_ReturnsSummaryObservationsByStartAndScoresByTimestamp()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var full = FullObservation();
        await store.WriteAsync(Rows(
            [FullTrace(), Trace("t-other", T0)],
            [full, Observation("o-early", "trace-full", T0 + 1) with { EndTimeMs = T0 + 50 }, Observation("o-same", "trace-full", T0 + 200), Observation("o-else", "t-other", T0)],
            [FullScore(), Score("s-early", "trace-full", T0), Score("s-else", "t-other", T0)]));

        var detail = await store.GetTraceAsync(P, "trace-full");

        Assert.NotNull(detail);
        AssertSame(FullTrace(), detail.Summary.Trace);
        // Equal starts are ordered by id, ordinally ("o-same" < "obs-full").
        Assert.Equal(["o-early", "o-same", "obs-full"], detail.Observations.Select(o => o.Id));
        Assert.Equal(["o-early", "o-same", "obs-full"], detail.Summary.ObservationIds.AsEnumerable());
        AssertSame(full, detail.Observations[2]);
        Assert.Equal(["s-early", "score-full"], detail.Scores.Select(s => s.Id));
        Assert.Equal(["s-early", "score-full"], detail.Summary.ScoreIds.AsEnumerable());
        AssertSame(FullScore(), detail.Scores[1]);
        Assert.Equal((T0 + 1450 - (T0 + 1)) / 1000.0, detail.Summary.LatencySeconds);
        Assert.Equal(0.000123456789m, detail.Summary.TotalCost);
    }

    [Fact]
    public async Task GetTrace_Missing_ReturnsNull()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t1", T0, Other)]));

        Assert.Null(await store.GetTraceAsync(P, "t1"));
        Assert.Null(await store.GetTraceAsync(P, "t2"));
    }

    [Fact]
    public async Task GetTrace_OnlyObservationsAndScoresStored_ReturnsNull()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(observations: [Observation("o1", "t1", T0)], scores: [Score("s1", "t1", T0)]));

        Assert.Null(await store.GetTraceAsync(P, "t1"));
        Assert.Empty((await store.QueryTracesAsync(new TraceQuery(P, 1, 10))).Items);
    }

    [Fact]
    public async Task GetTrace_WithoutObservations_HasEmptyListsAndZeroes()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t1", T0)]));

        var detail = await store.GetTraceAsync(P, "t1");

        Assert.NotNull(detail);
        Assert.Empty(detail.Observations);
        Assert.Empty(detail.Scores);
        Assert.Empty(detail.Summary.ObservationIds.AsEnumerable());
        Assert.Equal(0, detail.Summary.LatencySeconds);
        Assert.Equal(0m, detail.Summary.TotalCost);
    }

    // ---------------------------------------------------------------- observations

    [Fact]
    public async Task QueryObservations_Filters_MatchExactlyAndCombineWithAnd()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t1", T0) with { UserId = "u1" }, Trace("t2", T0) with { UserId = "u2" }, Trace("t1", T0, Other) with { UserId = "u2" }],
            [
                Observation("o1", "t1", T0) with { Name = "chat", Level = "ERROR", Version = "v1", Environment = "production" },
                Observation("o2", "t1", T0 + 1, type: "SPAN") with { Name = "retrieve", ParentObservationId = "o1", Version = "v2" },
                Observation("o3", "t2", T0 + 2) with { Name = "chat", ParentObservationId = "o1", Level = "DEFAULT", Environment = "staging" },
                Observation("o4", "t-none", T0 + 3, type: "EVENT") with { Level = "WARNING" },
                Observation("o5", "t1", T0 + 4, project: Other) with { Name = "chat" },
            ]));

        async Task<IEnumerable<string>> Find(ObservationQuery q) => (await store.QueryObservationsAsync(q)).Items.Select(o => o.Id).Order(StringComparer.Ordinal);
        var all = new ObservationQuery(P, 1, 50);

        Assert.Equal(["o1", "o2", "o3", "o4"], await Find(all));
        Assert.Equal(["o1", "o3"], await Find(all with { Name = "chat" }));
        Assert.Equal(["o1", "o3"], await Find(all with { Type = "GENERATION" }));
        Assert.Equal(["o4"], await Find(all with { Type = "EVENT" }));
        Assert.Equal(["o1", "o2"], await Find(all with { TraceId = "t1" }));
        Assert.Equal(["o2", "o3"], await Find(all with { ParentObservationId = "o1" }));
        Assert.Equal(["o1"], await Find(all with { Level = "ERROR" }));
        Assert.Equal(["o2", "o3"], await Find(all with { Level = "DEFAULT" }));
        Assert.Equal(["o2"], await Find(all with { Version = "v2" }));
        Assert.Equal(["o1", "o2"], await Find(all with { UserId = "u1" }));
        Assert.Equal(["o3"], await Find(all with { UserId = "u2" }));
        Assert.Empty(await Find(all with { UserId = "u3" }));
        Assert.Equal(["o1", "o3"], await Find(all with { Environments = ["production", "staging"] }));
        Assert.Equal(["o2", "o4"], await Find(all with { Environments = ["default"] }));
        Assert.Equal(["o3"], await Find(all with { Name = "chat", ParentObservationId = "o1" }));
        Assert.Equal(["o2", "o3"], await Find(all with { FromStartTimeMs = T0 + 1, ToStartTimeMs = T0 + 3 }));
        Assert.Equal(["o4"], await Find(all with { FromStartTimeMs = T0 + 3 }));
        Assert.Equal(["o1"], await Find(all with { ToStartTimeMs = T0 + 1 }));
        Assert.Equal(2, (await store.QueryObservationsAsync(all with { UserId = "u1", Limit = 1 })).TotalItems);
    }

    [Fact]
    public async Task QueryObservations_OrderAndPaging_StartDescendingThenIdDescending()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(observations: [
            Observation("a", "t", T0), Observation("b", "t", T0 + 5), Observation("c", "t", T0), Observation("d", "t", T0 - 1), Observation("e", "t", T0 + 5),
        ]));

        var first = await store.QueryObservationsAsync(new ObservationQuery(P, 1, 2));
        var second = await store.QueryObservationsAsync(new ObservationQuery(P, 2, 2));
        var third = await store.QueryObservationsAsync(new ObservationQuery(P, 3, 2));

        Assert.Equal(["e", "b"], first.Items.Select(o => o.Id));
        Assert.Equal(["c", "a"], second.Items.Select(o => o.Id));
        Assert.Equal(["d"], third.Items.Select(o => o.Id));
        Assert.All(new[] { first, second, third }, p => Assert.Equal(5, p.TotalItems));
    }

    // ---------------------------------------------------------------- scores

    [Fact]
    public async Task QueryScores_ExactFilters_MatchOnlyEqualValues()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(scores: [
            Score("s1", "t1", T0, "quality") with { Source = "API", DataType = "NUMERIC", ConfigId = "c1", ObservationId = "o1", SessionId = "sess1", Value = 1 },
            Score("s2", "t2", T0 + 1, "quality") with { Source = "EVAL", DataType = "BOOLEAN", ObservationId = "o2", Value = 0 },
            Score("s3", "t1", T0 + 2, "tone") with { Source = "ANNOTATION", DataType = "CATEGORICAL", StringValue = "warm", ConfigId = "c2", SessionId = "sess2" },
            Score("s4", null, T0 + 3, "session-score") with { SessionId = "sess1", Source = "API" },
            Score("s5", "t1", T0 + 4, "quality", project: Other) with { Source = "API" },
        ]));

        async Task<IEnumerable<string>> Find(ScoreQuery q) => (await store.QueryScoresAsync(q)).Items.Select(s => s.Id).Order(StringComparer.Ordinal);
        var all = new ScoreQuery(P, 1, 50);

        Assert.Equal(["s1", "s2", "s3", "s4"], await Find(all));
        Assert.Equal(["s1", "s2"], await Find(all with { Name = "quality" }));
        Assert.Equal(["s1", "s4"], await Find(all with { Source = "API" }));
        Assert.Equal(["s3"], await Find(all with { DataType = "CATEGORICAL" }));
        Assert.Equal(["s1"], await Find(all with { ConfigId = "c1" }));
        Assert.Equal(["s1", "s3"], await Find(all with { TraceId = "t1" }));
        Assert.Equal(["s2"], await Find(all with { ObservationId = "o2" }));
        Assert.Equal(["s1", "s4"], await Find(all with { SessionId = "sess1" }));
        Assert.Equal(["s1"], await Find(all with { SessionId = "sess1", Name = "quality" }));
        Assert.Equal(["s2", "s3"], await Find(all with { FromTimestampMs = T0 + 1, ToTimestampMs = T0 + 3 }));
        Assert.Equal(["s1", "s3"], await Find(all with { ScoreIds = ["s1", "s3", "s5", "missing"] }));
    }

    [Fact]
    public async Task QueryScores_ValueWithOperator_ComparesAsAsked()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        const double odd = 1.3436424411240123e-05;
        await store.WriteAsync(Rows(scores: [
            Score("s-low", "t", T0) with { Value = 0.25 },
            Score("s-mid", "t", T0 + 1) with { Value = 0.5 },
            Score("s-high", "t", T0 + 2) with { Value = 0.87 },
            Score("s-odd", "t", T0 + 3) with { Value = odd },
        ]));

        async Task<IEnumerable<string>> Find(double value, string? op) =>
            (await store.QueryScoresAsync(new ScoreQuery(P, 1, 50) { Value = value, Operator = op })).Items.Select(s => s.Id).Order(StringComparer.Ordinal);

        Assert.Equal(["s-mid"], await Find(0.5, null));
        Assert.Equal(["s-mid"], await Find(0.5, "="));
        Assert.Equal(["s-high"], await Find(0.87, "="));
        Assert.Equal(["s-odd"], await Find(odd, "="));
        Assert.Equal(["s-low", "s-odd"], await Find(0.5, "<"));
        Assert.Equal(["s-high"], await Find(0.5, ">"));
        Assert.Equal(["s-low", "s-mid", "s-odd"], await Find(0.5, "<="));
        Assert.Equal(["s-high", "s-mid"], await Find(0.5, ">="));
        Assert.Equal(["s-high", "s-low", "s-odd"], await Find(0.5, "!="));
        Assert.Equal(["s-high", "s-low", "s-mid"], await Find(odd, ">"));
    }

    [Fact]
    public async Task QueryScores_UserIdAndTraceTags_FilterOnTheScoredTrace()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t1", T0) with { UserId = "u1", Tags = ["a", "b"] }, Trace("t2", T0) with { UserId = "u2", Tags = ["a"] }, Trace("t1", T0, Other) with { UserId = "u2", Tags = ["c"] }],
            scores: [Score("s1", "t1", T0), Score("s2", "t2", T0 + 1), Score("s3", null, T0 + 2), Score("s4", "t-missing", T0 + 3)]));

        async Task<IEnumerable<string>> Find(ScoreQuery q) => (await store.QueryScoresAsync(q)).Items.Select(s => s.Id).Order(StringComparer.Ordinal);
        var all = new ScoreQuery(P, 1, 50);

        Assert.Equal(["s1"], await Find(all with { UserId = "u1" }));
        Assert.Equal(["s2"], await Find(all with { UserId = "u2" }));
        Assert.Equal(["s1", "s2"], await Find(all with { TraceTags = ["a"] }));
        Assert.Equal(["s1"], await Find(all with { TraceTags = ["b", "a"] }));
        Assert.Empty(await Find(all with { TraceTags = ["c"] }));
        Assert.Equal(["s2"], await Find(all with { TraceTags = ["a"], UserId = "u2" }));
        Assert.Equal(1, (await store.QueryScoresAsync(all with { UserId = "u1" })).TotalItems);
    }

    [Fact]
    public async Task QueryScores_Environments_MatchAnyWithUnsetAsDefault()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(scores: [
            Score("s1", "t", T0) with { Environment = "production" },
            Score("s2", "t", T0 + 1),
            Score("s3", "t", T0 + 2) with { Environment = "staging" },
        ]));

        async Task<IEnumerable<string>> Find(params string[] environments) =>
            (await store.QueryScoresAsync(new ScoreQuery(P, 1, 50) { Environments = [.. environments] })).Items.Select(s => s.Id).Order(StringComparer.Ordinal);

        Assert.Equal(["s1", "s3"], await Find("production", "staging"));
        Assert.Equal(["s2"], await Find("default"));
        Assert.Equal(["s1", "s2", "s3"], await Find());
    }

    [Fact]
    public async Task QueryScores_OrderAndPaging_TimestampDescendingThenIdDescending()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(scores: [Score("a", "t", T0), Score("b", "t", T0 + 9), Score("c", "t", T0), Score("d", "t", T0 - 1)]));

        var first = await store.QueryScoresAsync(new ScoreQuery(P, 1, 3));
        var second = await store.QueryScoresAsync(new ScoreQuery(P, 2, 3));

        Assert.Equal(["b", "c", "a"], first.Items.Select(s => s.Id));
        Assert.Equal(["d"], second.Items.Select(s => s.Id));
        Assert.Equal(4, first.TotalItems);
        Assert.Equal(4, second.TotalItems);
    }

    // ---------------------------------------------------------------- sessions

    [Fact]
    public async Task QuerySessions_DistinctSessionIds_CreatedAtAndEnvironmentFromTheEarliestTrace()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([
            Trace("t1", T0 + 100) with { SessionId = "s-a", Environment = "staging" },
            Trace("t2", T0) with { SessionId = "s-a", Environment = "production" },
            Trace("t3", T0 + 50) with { SessionId = "s-b" },
            Trace("t4", T0 + 500),
            Trace("t5", T0 - 1000, Other) with { SessionId = "s-a", Environment = "other" },
        ]));

        var page = await store.QuerySessionsAsync(new SessionQuery(P, 1, 10));

        Assert.Equal(2, page.TotalItems);
        Assert.Equal([new SessionSummary("s-b", P, T0 + 50, "default"), new SessionSummary("s-a", P, T0, "production")], page.Items.AsEnumerable());
    }

    [Fact]
    public async Task QuerySessions_Filters_OnCreatedAtAndTheSessionsEnvironment()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([
            Trace("t1", T0) with { SessionId = "s1", Environment = "production" },
            Trace("t2", T0 + 10) with { SessionId = "s1", Environment = "staging" },
            Trace("t3", T0 + 5) with { SessionId = "s2", Environment = "staging" },
            Trace("t4", T0 + 20) with { SessionId = "s3" },
        ]));

        async Task<IEnumerable<string>> Find(SessionQuery q) => (await store.QuerySessionsAsync(q)).Items.Select(s => s.Id);
        var all = new SessionQuery(P, 1, 10);

        Assert.Equal(["s3", "s2", "s1"], await Find(all));
        Assert.Equal(["s2"], await Find(all with { Environments = ["staging"] }));
        Assert.Equal(["s3", "s1"], await Find(all with { Environments = ["production", "default"] }));
        // s1's first trace is at T0: a window starting after it leaves s1 out although s1 has a later trace.
        Assert.Equal(["s2"], await Find(all with { FromTimestampMs = T0 + 1, ToTimestampMs = T0 + 20 }));
        Assert.Equal(["s3"], await Find(all with { FromTimestampMs = T0 + 6 }));
        Assert.Equal(["s1"], await Find(all with { ToTimestampMs = T0 + 5 }));
        Assert.Equal(1, (await store.QuerySessionsAsync(all with { Environments = ["staging"] })).TotalItems);
    }

    [Fact]
    public async Task QuerySessions_OrderAndPaging_NewestFirstTiesByIdDescending()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([
            Trace("t1", T0) with { SessionId = "a" }, Trace("t2", T0) with { SessionId = "b" },
            Trace("t3", T0 + 1) with { SessionId = "c" }, Trace("t4", T0 - 1) with { SessionId = "d" },
        ]));

        var first = await store.QuerySessionsAsync(new SessionQuery(P, 1, 3));
        var second = await store.QuerySessionsAsync(new SessionQuery(P, 2, 3));

        Assert.Equal(["c", "b", "a"], first.Items.Select(s => s.Id));
        Assert.Equal(["d"], second.Items.Select(s => s.Id));
        Assert.Equal(4, first.TotalItems);
        Assert.Equal(4, second.TotalItems);
    }

    [Fact]
    public async Task GetSession_Stored_ReturnsSummaryAndTracesOldestFirst()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var full = FullTrace() with { SessionId = "sess" };
        await store.WriteAsync(Rows([
            Trace("t-late", T0 + 9999) with { SessionId = "sess", Environment = "staging" },
            full,
            Trace("t-b", T0 + 500) with { SessionId = "sess" },
            Trace("t-a", T0 + 500) with { SessionId = "sess" },
            Trace("t-else", T0) with { SessionId = "other" },
            Trace("t-other-project", T0) with { SessionId = "sess", ProjectId = Other },
        ]));

        var detail = await store.GetSessionAsync(P, "sess");

        Assert.NotNull(detail);
        Assert.Equal(new SessionSummary("sess", P, T0 + 123, "production"), detail.Session);
        Assert.Equal(["trace-full", "t-a", "t-b", "t-late"], detail.Traces.Select(t => t.Id));
        AssertSame(full, detail.Traces[0]);
    }

    [Fact]
    public async Task GetSession_Missing_ReturnsNull()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t1", T0) with { SessionId = "s1" }, Trace("t2", T0, Other) with { SessionId = "s2" }]));

        Assert.Null(await store.GetSessionAsync(P, "s2"));
        Assert.Null(await store.GetSessionAsync(P, "nope"));
    }

    // ---------------------------------------------------------------- daily metrics

    [Fact]
    public async Task QueryDailyMetrics_ByUtcDayOfTheTrace_CountsCostAndUsagePerModel()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var lastMsOfDay = Ms(2025, 3, 10, 23, 59, 59, 999);
        var firstMsOfNextDay = Ms(2025, 3, 11);
        await store.WriteAsync(Rows(
            [Trace("t1", lastMsOfDay), Trace("t2", Ms(2025, 3, 10, 1)), Trace("t3", firstMsOfNextDay), Trace("t-empty", Ms(2025, 3, 8, 12))],
            [
                // An observation counts on its trace's day, even when it starts the next day.
                Observation("o1", "t1", firstMsOfNextDay + 10) with { Model = "gpt-b", TotalCost = 0.000123456789m, UsageDetails = Usage(("input", 10), ("output", 5), ("total", 15)) },
                Observation("o2", "t1", lastMsOfDay) with { Model = "gpt-a", TotalCost = 0.5m, UsageDetails = Usage(("input", 100), ("output", 1)) },
                Observation("o3", "t2", Ms(2025, 3, 10, 1)) with { Model = "gpt-b", UsageDetails = Usage(("input", 7), ("output", 3), ("total", 11)) },
                Observation("o4", "t2", Ms(2025, 3, 10, 1), type: "SPAN") with { TotalCost = 1m },
                Observation("o5", "t3", firstMsOfNextDay) with { Model = "gpt-a", TotalCost = 2m, UsageDetails = Usage(("output", 4)) },
                Observation("o-orphan", "t-missing", lastMsOfDay) with { Model = "gpt-a", TotalCost = 50m },
                Observation("o-other", "t1", lastMsOfDay, project: Other) with { Model = "gpt-a", TotalCost = 50m },
            ]));

        var page = await store.QueryDailyMetricsAsync(new DailyMetricsQuery(P, 1, 10));

        Assert.Equal(3, page.TotalItems);
        Assert.Equal([new DateOnly(2025, 3, 11), new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 8)], page.Items.Select(d => d.Date));
        var eleventh = page.Items[0];
        Assert.Equal((1L, 1L, 2m), (eleventh.CountTraces, eleventh.CountObservations, eleventh.TotalCost));
        Assert.Equal([new DailyModelUsage("gpt-a", 0, 4, 4, 1, 1, 2m)], eleventh.Usage.AsEnumerable());
        var tenth = page.Items[1];
        Assert.Equal((2L, 4L, 1.500123456789m), (tenth.CountTraces, tenth.CountObservations, tenth.TotalCost));
        Assert.Equal([
            new DailyModelUsage("gpt-a", 100, 1, 101, 1, 1, 0.5m),
            new DailyModelUsage("gpt-b", 17, 8, 26, 2, 2, 0.000123456789m),
        ], tenth.Usage.AsEnumerable());
        var eighth = page.Items[2];
        Assert.Equal((1L, 0L, 0m), (eighth.CountTraces, eighth.CountObservations, eighth.TotalCost));
        Assert.Empty(eighth.Usage.AsEnumerable());
    }

    private static ImmutableDictionary<string, long> Usage(params (string Key, long Value)[] pairs) => pairs.ToImmutableDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task QueryDailyMetrics_Filters_SelectTheTracesCounted()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [
                Trace("t1", T0) with { Name = "chat", UserId = "u1", Tags = ["a", "b"], Environment = "production" },
                Trace("t2", T0 + 1) with { Name = "chat", UserId = "u2", Tags = ["a"] },
                Trace("t3", T0 + 2) with { Name = "embed", UserId = "u1", Environment = "staging" },
                Trace("t4", T0 + 86_400_000) with { Name = "chat", UserId = "u1" },
            ],
            [Observation("o1", "t1", T0) with { TotalCost = 1m }, Observation("o2", "t2", T0) with { TotalCost = 2m }, Observation("o3", "t3", T0) with { TotalCost = 4m }]));

        async Task<IEnumerable<(DateOnly, long, decimal)>> Find(DailyMetricsQuery q) =>
            (await store.QueryDailyMetricsAsync(q)).Items.Select(d => (d.Date, d.CountTraces, d.TotalCost));
        var all = new DailyMetricsQuery(P, 1, 10);
        var day = new DateOnly(2025, 3, 10);
        var next = new DateOnly(2025, 3, 11);

        Assert.Equal([(next, 1L, 0m), (day, 3L, 7m)], await Find(all));
        Assert.Equal([(next, 1L, 0m), (day, 2L, 3m)], await Find(all with { TraceName = "chat" }));
        Assert.Equal([(next, 1L, 0m), (day, 2L, 5m)], await Find(all with { UserId = "u1" }));
        Assert.Equal([(day, 1L, 1m)], await Find(all with { Tags = ["b", "a"] }));
        Assert.Equal([(day, 2L, 3m)], await Find(all with { Tags = ["a"] }));
        Assert.Equal([(day, 2L, 5m)], await Find(all with { Environments = ["production", "staging"] }));
        Assert.Equal([(next, 1L, 0m), (day, 1L, 2m)], await Find(all with { Environments = ["default"] }));
        Assert.Equal([(day, 2L, 6m)], await Find(all with { FromTimestampMs = T0 + 1, ToTimestampMs = T0 + 86_400_000 }));
    }

    [Fact]
    public async Task QueryDailyMetrics_Paging_OverDaysWithTotalDays()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(Enumerable.Range(0, 5).SelectMany(d => new[] { Trace($"t{d}a", Ms(2025, 1, 1 + d, 3)), Trace($"t{d}b", Ms(2025, 1, 1 + d, 20)) })));

        var first = await store.QueryDailyMetricsAsync(new DailyMetricsQuery(P, 1, 2));
        var third = await store.QueryDailyMetricsAsync(new DailyMetricsQuery(P, 3, 2));

        Assert.Equal([new DateOnly(2025, 1, 5), new DateOnly(2025, 1, 4)], first.Items.Select(d => d.Date));
        Assert.Equal([new DateOnly(2025, 1, 1)], third.Items.Select(d => d.Date));
        Assert.All(first.Items.Concat(third.Items), d => Assert.Equal(2, d.CountTraces));
        Assert.Equal(5, first.TotalItems);
        Assert.Equal(5, third.TotalItems);
    }

    // ---------------------------------------------------------------- retention

    [Fact]
    public async Task DropMonthsBefore_OlderMonths_DropsTheirRowsInEveryTableAndReturnsThemAscending()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t-jan", Ms(2025, 1, 31, 23, 59, 59, 999)), Trace("t-feb", Ms(2025, 2, 1)), Trace("t-mar", Ms(2025, 3, 1))],
            [Observation("o-dec", "t-x", Ms(2024, 12, 15)), Observation("o-jan", "t-jan", Ms(2025, 1, 2)), Observation("o-mar", "t-mar", Ms(2025, 3, 2))],
            [Score("s-nov", "t-x", Ms(2024, 11, 30, 12)), Score("s-feb", "t-feb", Ms(2025, 2, 28, 23)), Score("s-mar", "t-mar", Ms(2025, 3, 31, 23))]));

        var dropped = await store.DropMonthsBeforeAsync(new DateOnly(2025, 3, 1));

        Assert.Equal([202411, 202412, 202501, 202502], dropped);
        Assert.Equal(["t-mar"], (await store.GetTracesAsync([new(P, "t-jan"), new(P, "t-feb"), new(P, "t-mar")])).Select(t => t.Id));
        Assert.Equal(["o-mar"], (await store.QueryObservationsAsync(new ObservationQuery(P, 1, 10))).Items.Select(o => o.Id));
        Assert.Equal(["s-mar"], (await store.QueryScoresAsync(new ScoreQuery(P, 1, 10))).Items.Select(s => s.Id));
        Assert.Equal(1, (await store.QueryTracesAsync(new TraceQuery(P, 1, 10))).TotalItems);
        Assert.Empty(await store.DropMonthsBeforeAsync(new DateOnly(2025, 3, 1)));
    }

    [Fact]
    public async Task DropMonthsBefore_CutoffInsideAMonth_KeepsThatMonth()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows([Trace("t-jan", Ms(2025, 1, 20)), Trace("t-feb", Ms(2025, 2, 1)), Trace("t-feb-end", Ms(2025, 2, 28, 23, 59, 59, 999))]));

        // February's last day (the 28th) is not before the 28th: February stays.
        var dropped = await store.DropMonthsBeforeAsync(new DateOnly(2025, 2, 28));

        Assert.Equal([202501], dropped);
        Assert.Equal(["t-feb-end", "t-feb"], Ids((await store.QueryTracesAsync(new TraceQuery(P, 1, 10))).Items));
    }

    [Fact]
    public async Task DropMonthsBefore_SeveralProjects_DropsTheMonthForAllAndReportsItOnce()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t1", Ms(2024, 6, 1)), Trace("t2", Ms(2024, 6, 2), Other)],
            [Observation("o1", "t1", Ms(2024, 6, 1))],
            [Score("s1", "t1", Ms(2024, 6, 1))]));

        var dropped = await store.DropMonthsBeforeAsync(new DateOnly(2025, 1, 1));

        Assert.Equal([202406], dropped);
        Assert.Empty((await store.QueryTracesAsync(new TraceQuery(Other, 1, 10))).Items);
        Assert.Empty(await store.GetObservationsAsync([new(P, "o1")]));
    }

    [Fact]
    public async Task DropMonthsBefore_NothingOldEnough_ReturnsEmptyAndKeepsRows()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        Assert.Empty(await store.DropMonthsBeforeAsync(new DateOnly(2025, 1, 1)));
        await store.WriteAsync(Rows([Trace("t1", T0)]));

        var dropped = await store.DropMonthsBeforeAsync(new DateOnly(2025, 3, 31));

        Assert.Empty(dropped);
        Assert.Single(await store.GetTracesAsync([new(P, "t1")]));
    }
}
