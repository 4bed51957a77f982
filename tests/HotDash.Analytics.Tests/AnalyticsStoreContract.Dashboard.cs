using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Analytics.Tests;

/// <summary>
/// The dashboard's queries, against both stores: the trace list's filters on observations (level, model, team, key, cost,
/// latency, text search), the usage overview and the session and user totals.
/// </summary>
public abstract partial class AnalyticsStoreContract
{
    private const long Hour = 3_600_000;

    private static ImmutableDictionary<string, long> Tokens(long input, long output) =>
        ImmutableDictionary<string, long>.Empty.Add(UsageKeys.Input, input).Add(UsageKeys.Output, output);

    private static async Task<IReadOnlyList<string>> TraceIdsAsync(IAnalyticsStore store, TraceQuery query)
    {
        var page = await store.QueryTracesAsync(query);
        Assert.Equal(page.Items.Length, page.TotalItems);
        return [.. Ids(page.Items).Order(StringComparer.Ordinal)];
    }

    // ---------------------------------------------------------------- trace filters

    [Fact]
    public async Task QueryTraces_Levels_MatchTheWorstObservationLevelAndDefaultWithoutObservations()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t-error", T0), Trace("t-warning", T0), Trace("t-debug", T0), Trace("t-default", T0), Trace("t-none", T0)],
            [
                Observation("o1", "t-error", T0) with { Level = "DEFAULT" },
                Observation("o2", "t-error", T0) with { Level = "ERROR" },
                Observation("o3", "t-error", T0) with { Level = "WARNING" },
                Observation("o4", "t-warning", T0) with { Level = "DEBUG" },
                Observation("o5", "t-warning", T0) with { Level = "WARNING" },
                Observation("o6", "t-debug", T0) with { Level = "DEBUG" },
                Observation("o7", "t-default", T0),
                Observation("o8", "t-default", T0) with { Level = "DEBUG" },
                // Another project's error on the same trace id changes nothing here.
                Observation("o-other", "t-default", T0, project: Other) with { Level = "ERROR" },
            ]));

        Assert.Equal(["t-error"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Levels = ["ERROR"] }));
        Assert.Equal(["t-debug", "t-warning"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Levels = ["WARNING", "DEBUG"] }));
        Assert.Equal(["t-default", "t-none"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Levels = ["DEFAULT"] }));
        Assert.Equal(["t-error"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Levels = ["error"] }));
        Assert.Empty(await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Levels = ["BOGUS"] }));
        var levels = (await store.QueryTracesAsync(new TraceQuery(P, 1, 10))).Items.ToDictionary(i => i.Trace.Id, i => i.Level);
        Assert.Equal("ERROR", levels["t-error"]);
        Assert.Equal("WARNING", levels["t-warning"]);
        Assert.Equal("DEBUG", levels["t-debug"]);
        Assert.Equal("DEFAULT", levels["t-default"]);
        Assert.Equal("DEFAULT", levels["t-none"]);
        Assert.Equal("ERROR", (await store.GetTraceAsync(P, "t-error"))!.Summary.Level);
        Assert.Equal("DEFAULT", (await store.GetTraceAsync(P, "t-none"))!.Summary.Level);
    }

    [Fact]
    public async Task QueryTraces_ModelTeamAndKey_MatchWhenAnyObservationHasThem()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t-group", T0), Trace("t-model", T0), Trace("t-both", T0), Trace("t-none", T0)],
            [
                Observation("o1", "t-group", T0) with { ModelGroup = "gpt", Model = "gpt-4o-2024", TeamId = "team-a" },
                Observation("o2", "t-model", T0) with { Model = "gpt", KeyAlias = "key-a" },
                Observation("o3", "t-both", T0) with { ModelGroup = "claude", TeamId = "team-a" },
                Observation("o4", "t-both", T0, type: "SPAN") with { KeyAlias = "key-a" },
                Observation("o5", "t-none", T0) with { ModelGroup = "GPT", TeamId = "TEAM-A", KeyAlias = "key-a-2" },
                Observation("o-other", "t-none", T0, project: Other) with { ModelGroup = "gpt", TeamId = "team-a", KeyAlias = "key-a" },
            ]));

        Assert.Equal(["t-group", "t-model"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Model = "gpt" }));
        Assert.Equal(["t-group"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Model = "gpt-4o-2024" }));
        Assert.Equal(["t-both", "t-group"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { TeamId = "team-a" }));
        Assert.Equal(["t-both", "t-model"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { KeyAlias = "key-a" }));
        // Each filter may be met by a different observation of the trace.
        Assert.Equal(["t-both"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { TeamId = "team-a", KeyAlias = "key-a" }));
        Assert.Empty(await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Model = "gpt", TeamId = "team-a", KeyAlias = "key-a" }));
        Assert.Empty(await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Model = "gp" }));
    }

    [Fact]
    public async Task QueryTraces_CostRange_BoundsInclusiveOnTheSummedCostAndZeroWithoutObservations()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t-none", T0), Trace("t-tiny", T0), Trace("t-half", T0), Trace("t-two", T0)],
            [
                Observation("o1", "t-tiny", T0) with { TotalCost = 0.000123456789m },
                Observation("o2", "t-half", T0) with { TotalCost = 0.25m },
                Observation("o3", "t-half", T0) with { TotalCost = 0.25m },
                Observation("o4", "t-half", T0),
                Observation("o5", "t-two", T0) with { TotalCost = 2m },
            ]));

        Assert.Equal(["t-half", "t-two"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MinCost = 0.5m }));
        Assert.Equal(["t-half", "t-none", "t-tiny"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MaxCost = 0.5m }));
        Assert.Equal(["t-tiny"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MinCost = 0.000123456789m, MaxCost = 0.000123456789m }));
        Assert.Equal(["t-half", "t-tiny"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MinCost = 0.0000000000001m, MaxCost = 1m }));
        Assert.Equal(["t-none"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MaxCost = 0m }));
        Assert.Empty(await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MinCost = 3m }));
        Assert.Empty(await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MinCost = 1m, MaxCost = 0.5m }));
    }

    [Fact]
    public async Task QueryTraces_LatencyRange_BoundsInclusiveOnTheSummaryLatency()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t-none", T0), Trace("t-fast", T0), Trace("t-slow", T0), Trace("t-open", T0)],
            [
                Observation("o1", "t-fast", T0) with { EndTimeMs = T0 + 250 },
                // 2.5 s from the first start to the latest end, over two observations.
                Observation("o2", "t-slow", T0 + 100) with { EndTimeMs = T0 + 200 },
                Observation("o3", "t-slow", T0 + 1000) with { EndTimeMs = T0 + 2600 },
                // No end: its start counts, so 0.
                Observation("o4", "t-open", T0),
            ]));

        Assert.Equal(["t-slow"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MinLatencySeconds = 2.5 }));
        Assert.Equal(["t-fast", "t-slow"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MinLatencySeconds = 0.25 }));
        Assert.Equal(["t-fast", "t-none", "t-open"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MaxLatencySeconds = 0.25 }));
        Assert.Equal(["t-fast"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MinLatencySeconds = 0.1, MaxLatencySeconds = 1 }));
        Assert.Equal(["t-none", "t-open"], await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MaxLatencySeconds = 0 }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryTracesAsync(new TraceQuery(P, 1, 10) { MinLatencySeconds = double.NaN }));
    }

    [Fact]
    public async Task QueryTraces_Search_CaseInsensitiveTextInTheTraceOrItsObservations()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [
                Trace("t-ID-Needle", T0),
                Trace("t-name", T0) with { Name = "Chat about NEEDLES" },
                Trace("t-input", T0) with { Input = "{\"q\":\"a needle in a haystack\"}" },
                Trace("t-output", T0) with { Output = "\"found the nEEdle\"" },
                Trace("t-obs", T0),
                Trace("t-unicode", T0) with { Input = "\"CAFÉ au lait\"" },
                Trace("t-wild", T0) with { Name = "100% off_sale" },
                Trace("t-quote", T0) with { Name = "it's a \\ back" },
                Trace("t-none", T0) with { Name = "nothing", Input = "\"nope\"" },
            ],
            [
                Observation("o1", "t-obs", T0) with { Output = "{\"content\":\"Needle!\"}" },
                Observation("o2", "t-none", T0) with { Name = "needle-named", StatusMessage = "needle" },
                Observation("o-other", "t-none", T0, project: Other) with { Input = "needle" },
            ]));

        Assert.Equal(["t-ID-Needle", "t-input", "t-name", "t-obs", "t-output"], await TraceIdsAsync(store, new TraceQuery(P, 1, 20) { Search = "needle" }));
        Assert.Equal(["t-unicode"], await TraceIdsAsync(store, new TraceQuery(P, 1, 20) { Search = "café" }));
        // LIKE's wildcards are plain text.
        Assert.Equal(["t-wild"], await TraceIdsAsync(store, new TraceQuery(P, 1, 20) { Search = "0% off_" }));
        Assert.Empty(await TraceIdsAsync(store, new TraceQuery(P, 1, 20) { Search = "%" + "_x" }));
        // Quotes and backslashes are data, not SQL.
        Assert.Equal(["t-quote"], await TraceIdsAsync(store, new TraceQuery(P, 1, 20) { Search = "it's a \\" }));
        Assert.Empty(await TraceIdsAsync(store, new TraceQuery(P, 1, 20) { Search = "' OR 1=1 --" }));
        // An empty search is no filter.
        Assert.Equal(9, (await store.QueryTracesAsync(new TraceQuery(P, 1, 20) { Search = "" })).TotalItems);
    }

    [Fact]
    public async Task QueryTraces_NewFiltersCombinedWithOthers_PageAndTotalStayExact()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var traces = new List<TraceRecord>();
        var observations = new List<ObservationRecord>();
        for (var i = 0; i < 12; i++)
        {
            var id = $"t{i:D2}";
            traces.Add(Trace(id, T0 + i) with { UserId = i % 2 == 0 ? "even" : "odd", Name = i < 6 ? "alpha" : "beta" });
            observations.Add(Observation($"o{i:D2}", id, T0 + i) with
            {
                ModelGroup = i % 3 == 0 ? "gpt" : "claude",
                Level = i % 4 == 0 ? "ERROR" : "DEFAULT",
                TotalCost = i * 0.1m,
                EndTimeMs = T0 + i + (i * 100),
            });
        }
        await store.WriteAsync(Rows(traces, observations));

        // gpt: 0, 3, 6, 9; cost >= 0.3: 3, 6, 9; user odd: 3, 9.
        var query = new TraceQuery(P, 1, 1) { Model = "gpt", MinCost = 0.3m, UserId = "odd" };
        var first = await store.QueryTracesAsync(query);
        Assert.Equal(2, first.TotalItems);
        Assert.Equal(["t09"], Ids(first.Items));
        var second = await store.QueryTracesAsync(query with { Page = 2 });
        Assert.Equal(2, second.TotalItems);
        Assert.Equal(["t03"], Ids(second.Items));
        // ERROR: 0, 4, 8; latency <= 0.5 s: 0, 4; name alpha: 0, 4.
        var errors = await store.QueryTracesAsync(new TraceQuery(P, 1, 10) { Levels = ["ERROR"], MaxLatencySeconds = 0.5, Name = "alpha", Search = "t0" });
        Assert.Equal(2, errors.TotalItems);
        Assert.Equal(["t04", "t00"], Ids(errors.Items));
        Assert.Equal(0.4m, errors.Items[0].TotalCost);
    }

    [Fact]
    public async Task QueryTraces_Summaries_LevelAndTotalTokensFromLiveObservations()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.WriteAsync(Rows(
            [Trace("t1", T0), Trace("t2", T0 - 1)],
            [
                Observation("o1", "t1", T0) with { UsageDetails = Tokens(10, 5).Add(UsageKeys.Total, 20) },
                Observation("o2", "t1", T0) with { UsageDetails = Tokens(3, 4) },
                Observation("o3", "t1", T0) with { UsageDetails = ImmutableDictionary<string, long>.Empty.Add(UsageKeys.Output, 7) },
                Observation("o4", "t1", T0, type: "SPAN"),
                Observation("o-deleted", "t1", T0) with { Level = "ERROR", UsageDetails = Tokens(1000, 1000), TotalCost = 5m },
            ]));
        await MarkDeletedAsync(store, "observations", new(P, "o-deleted"));

        var page = await store.QueryTracesAsync(new TraceQuery(P, 1, 10));

        var t1 = page.Items.Single(i => i.Trace.Id == "t1");
        Assert.Equal(34, t1.TotalTokens);
        Assert.Equal("DEFAULT", t1.Level);
        Assert.Equal(["o1", "o2", "o3", "o4"], t1.ObservationIds.Order(StringComparer.Ordinal));
        Assert.Equal(0, page.Items.Single(i => i.Trace.Id == "t2").TotalTokens);
        var detail = await store.GetTraceAsync(P, "t1");
        Assert.Equal((34L, "DEFAULT"), (detail!.Summary.TotalTokens, detail.Summary.Level));
        Assert.Empty(await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { Levels = ["ERROR"] }));
        Assert.Empty(await TraceIdsAsync(store, new TraceQuery(P, 1, 10) { MinCost = 1m }));
    }

    // ---------------------------------------------------------------- usage overview

    // Two hours from T0 (hour-aligned): g1, g2 in the first hour (g2 on its last millisecond), g3, g4 in the second.
    private async Task<IAnalyticsStore?> OverviewStoreAsync()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return null;
        }
        await store.WriteAsync(Rows(
            [
                Trace("tr-a", T0) with { UserId = "alice" },
                Trace("tr-b", T0),
                Trace("tr-c", T0) with { UserId = "bob" },
            ],
            [
                Observation("g1", "tr-a", T0 + 1000) with
                {
                    EndTimeMs = T0 + 1100, ModelGroup = "gpt", Model = "gpt-4o-2024", TeamId = "team-1", KeyAlias = "key-1",
                    Deployment = "dep-1", UsageDetails = Tokens(10, 5), TotalCost = 0.5m, CacheHit = true,
                },
                // Written first with another cost; the newer row counts, once.
                Observation("g2", "tr-a", T0 + Hour - 1, eventTs: 1) with { ModelGroup = "gpt", TotalCost = 99m, UsageDetails = Tokens(1000, 1000) },
                Observation("g3", "tr-b", T0 + Hour) with
                {
                    EndTimeMs = T0 + Hour + 200, Model = "claude", KeyAlias = "key-2", EndUser = "carol", Deployment = "dep-1",
                    UsageDetails = Tokens(1, 2), TotalCost = 0.000123456789m,
                },
                // Still running (no end): counted, but not in the percentiles. The trace's user wins over the end user.
                Observation("g4", "tr-c", T0 + Hour + 5) with { ModelGroup = "gpt", TeamId = "team-2", EndUser = "ignored", UsageDetails = Tokens(100, 0) },
                // Not counted: not a generation, before the range, at its (exclusive) end, another project, deleted.
                Observation("span", "tr-a", T0 + 10, type: "SPAN") with { EndTimeMs = T0 + 20, TotalCost = 7m },
                Observation("early", "tr-a", T0 - 1) with { ModelGroup = "gpt", TotalCost = 7m },
                Observation("late", "tr-a", T0 + (2 * Hour)) with { ModelGroup = "gpt", TotalCost = 7m },
                Observation("other", "tr-a", T0 + 10, project: Other) with { ModelGroup = "gpt", TotalCost = 7m },
                Observation("deleted", "tr-a", T0 + 10) with { ModelGroup = "gpt", TotalCost = 7m, KeyAlias = "key-1" },
            ]));
        await store.WriteAsync(Rows(observations:
        [
            Observation("g2", "tr-a", T0 + Hour - 1, eventTs: 2) with
            {
                EndTimeMs = T0 + Hour + 299, ModelGroup = "gpt", TeamId = "team-1", KeyAlias = "key-1", Deployment = "dep-2",
                UsageDetails = Tokens(20, 10), TotalCost = 1.25m, Level = "ERROR",
            },
        ]));
        await MarkDeletedAsync(store, "observations", new(P, "deleted"));
        return store;
    }

    private static void AssertPercentile(double expected, double actual) =>
        // Both stores interpolate linearly between exact values at this size; the margin allows for a sampling estimate.
        Assert.InRange(actual, expected * 0.98, expected * 1.02);

    [Fact]
    public async Task QueryUsageOverview_KnownGenerations_TotalsCountOnlyLiveGenerationsInTheRange()
    {
        var store = await OverviewStoreAsync();
        if (store is null)
        {
            return;
        }

        var overview = await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (2 * Hour), Hour));

        var totals = overview.Series.Totals;
        Assert.Equal((4L, 1L, 131L, 17L, 1.750123456789m, 1L), (totals.Requests, totals.Errors, totals.InputTokens, totals.OutputTokens, totals.Cost, totals.CacheHits));
        Assert.Equal(148, totals.TotalTokens);
        Assert.Equal(0.25, totals.CacheHitRate);
        // Latencies 100, 200, 300 ms (g4 has no end).
        AssertPercentile(200, totals.LatencyP50Ms);
        AssertPercentile(290, totals.LatencyP95Ms);
        AssertPercentile(298, totals.LatencyP99Ms);
    }

    [Fact]
    public async Task QueryUsageOverview_Buckets_AlignedToTheWidthOldestFirstOnlyNonEmpty()
    {
        var store = await OverviewStoreAsync();
        if (store is null)
        {
            return;
        }

        var hourly = await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (2 * Hour), Hour));
        var perMinute = await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (2 * Hour), 60_000));

        Assert.Equal([T0, T0 + Hour], hourly.Series.Buckets.Select(b => b.StartMs));
        var first = hourly.Series.Buckets[0].Totals;
        Assert.Equal((2L, 1L, 30L, 15L, 1.75m, 1L), (first.Requests, first.Errors, first.InputTokens, first.OutputTokens, first.Cost, first.CacheHits));
        AssertPercentile(200, first.LatencyP50Ms);
        var second = hourly.Series.Buckets[1].Totals;
        Assert.Equal((2L, 0L, 101L, 2L, 0.000123456789m, 0L), (second.Requests, second.Errors, second.InputTokens, second.OutputTokens, second.Cost, second.CacheHits));
        AssertPercentile(200, second.LatencyP50Ms);
        Assert.Equal(200, second.LatencyP99Ms, 3);
        // Minutes: the first, the hour's last and the next hour's first; empty minutes are left out.
        Assert.Equal([T0, T0 + Hour - 60_000, T0 + Hour], perMinute.Series.Buckets.Select(b => b.StartMs));
        Assert.Equal([1L, 1L, 2L], perMinute.Series.Buckets.Select(b => b.Totals.Requests));
        Assert.Equal(hourly.Series.Totals, perMinute.Series.Totals);
        // A range that starts mid-bucket still reports whole-width bucket starts.
        var shifted = await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0 + 500, T0 + Hour + 1, Hour));
        Assert.Equal([T0, T0 + Hour], shifted.Series.Buckets.Select(b => b.StartMs));
        Assert.Equal(3, shifted.Series.Totals.Requests);
    }

    [Fact]
    public async Task QueryUsageOverview_Breakdowns_GroupedAndOrderedAsDocumented()
    {
        var store = await OverviewStoreAsync();
        if (store is null)
        {
            return;
        }

        var overview = await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (2 * Hour), Hour));

        // Model group, else the model; most requests first.
        Assert.Equal([("gpt", 3L), ("claude", 1L)], overview.ByModel.Select(g => (g.Name, g.Totals.Requests)));
        Assert.Equal(1.75m, overview.ByModel[0].Totals.Cost);
        // No team is "", kept; ties by name.
        Assert.Equal([("team-1", 2L), ("", 1L), ("team-2", 1L)], overview.ByTeam.Select(g => (g.Name, g.Totals.Requests)));
        // The trace's user, else the end user; highest cost first; none left out.
        Assert.Equal([("alice", 1.75m), ("carol", 0.000123456789m), ("bob", 0m)], overview.TopUsers.Select(g => (g.Name, g.Totals.Cost)));
        Assert.Equal(131 - 100, overview.TopUsers.Where(u => u.Name != "bob").Sum(u => u.Totals.InputTokens));
        Assert.Equal([("key-1", 1.75m), ("key-2", 0.000123456789m)], overview.TopKeys.Select(g => (g.Name, g.Totals.Cost)));
        Assert.Equal([("dep-1", 2L), ("dep-2", 1L)], overview.ByDeployment.Select(g => (g.Name, g.Totals.Requests)));
        AssertPercentile(150, overview.ByDeployment[0].Totals.LatencyP50Ms);
        Assert.Equal(1, overview.ByDeployment[1].Totals.Errors);
    }

    [Fact]
    public async Task QueryUsageOverview_Top_LimitsEveryList()
    {
        var store = await OverviewStoreAsync();
        if (store is null)
        {
            return;
        }

        var one = await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (2 * Hour), Hour) { Top = 1 });
        var none = await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (2 * Hour), Hour) { Top = 0 });

        Assert.Equal(["gpt"], one.ByModel.Select(g => g.Name));
        Assert.Equal(["team-1"], one.ByTeam.Select(g => g.Name));
        Assert.Equal(["alice"], one.TopUsers.Select(g => g.Name));
        Assert.Equal(["key-1"], one.TopKeys.Select(g => g.Name));
        Assert.Equal(["dep-1"], one.ByDeployment.Select(g => g.Name));
        Assert.Equal(4, one.Series.Totals.Requests);
        Assert.Empty(none.ByModel);
        Assert.Empty(none.TopUsers);
        Assert.Empty(none.ByDeployment);
        Assert.Equal(2, none.Series.Buckets.Length);
    }

    [Fact]
    public async Task QueryUsageOverview_NothingInRange_IsEmpty()
    {
        var store = await OverviewStoreAsync();
        if (store is null)
        {
            return;
        }

        var overview = await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0 + (3 * Hour), T0 + (4 * Hour), Hour));
        var otherProject = await store.QueryUsageOverviewAsync(new UsageOverviewQuery("proj-none", T0, T0 + (2 * Hour), Hour));

        foreach (var empty in new[] { overview, otherProject })
        {
            Assert.Equal(UsageTotals.Empty, empty.Series.Totals);
            Assert.Empty(empty.Series.Buckets);
            Assert.Empty(empty.ByModel);
            Assert.Empty(empty.ByTeam);
            Assert.Empty(empty.TopUsers);
            Assert.Empty(empty.TopKeys);
            Assert.Empty(empty.ByDeployment);
        }
    }

    [Fact]
    public async Task QueryUsageOverview_InvalidRangeOrBuckets_Throws()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + Hour, 59_999)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0, Hour)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 - 1, Hour)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, -Hour, T0, Hour)));
        // 2,001 minutes of one-minute buckets; 401 days of daily buckets.
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (2_001 * 60_000), 60_000)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (401 * 24 * Hour), 24 * Hour)));
        // The limits themselves are allowed.
        Assert.Empty((await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (2_000 * 60_000), 60_000))).Series.Buckets);
        Assert.Empty((await store.QueryUsageOverviewAsync(new UsageOverviewQuery(P, T0, T0 + (400 * 24 * Hour), 24 * Hour))).Series.Buckets);
    }

    // ---------------------------------------------------------------- sessions and users

    private async Task<IAnalyticsStore?> GroupsStoreAsync()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return null;
        }
        await store.WriteAsync(Rows(
            [
                Trace("t1", T0) with { SessionId = "Sess-Alpha", UserId = "u-1" },
                Trace("t2", T0 + 5000) with { SessionId = "Sess-Alpha", UserId = "u-2" },
                Trace("t3", T0 + 1000) with { SessionId = "sess-beta", UserId = "u-1" },
                Trace("t4", T0 + 9000),
                Trace("t5", T0 + 1000) with { SessionId = "sess-gamma" },
                Trace("t-other", T0 + 99_000, project: Other) with { SessionId = "Sess-Alpha", UserId = "u-1" },
            ],
            [
                Observation("o1", "t1", T0) with { TotalCost = 0.5m, UsageDetails = Tokens(10, 5).Add(UsageKeys.Total, 15), Level = "ERROR" },
                Observation("o2", "t1", T0, type: "SPAN") with { TotalCost = 0.25m, UsageDetails = Tokens(3, 4) },
                Observation("o3", "t3", T0 + 1000) with { TotalCost = 1m, Level = "WARNING", UsageDetails = Tokens(1, 1) },
                Observation("o-deleted", "t3", T0 + 1000) with { TotalCost = 100m, Level = "ERROR", UsageDetails = Tokens(100, 100) },
                Observation("o-other", "t1", T0, project: Other) with { TotalCost = 100m },
            ]));
        await MarkDeletedAsync(store, "observations", new(P, "o-deleted"));
        return store;
    }

    [Fact]
    public async Task QueryTraceGroups_Sessions_TotalsOverTracesAndTheirLiveObservationsNewestFirst()
    {
        var store = await GroupsStoreAsync();
        if (store is null)
        {
            return;
        }

        var page = await store.QueryTraceGroupsAsync(new TraceGroupQuery(P, TraceGroupKind.Session, 1, 10));

        Assert.Equal(3, page.TotalItems);
        Assert.Equal(
            [
                new TraceGroupTotals("Sess-Alpha", 2, 2, 0.75m, 22, T0, T0 + 5000, 1),
                // Same last trace time: ties by id, descending.
                new TraceGroupTotals("sess-gamma", 1, 0, 0m, 0, T0 + 1000, T0 + 1000, 0),
                new TraceGroupTotals("sess-beta", 1, 1, 1m, 2, T0 + 1000, T0 + 1000, 0),
            ],
            page.Items.AsEnumerable());
    }

    [Fact]
    public async Task QueryTraceGroups_Users_LeaveOutTracesWithoutAUser()
    {
        var store = await GroupsStoreAsync();
        if (store is null)
        {
            return;
        }

        var page = await store.QueryTraceGroupsAsync(new TraceGroupQuery(P, TraceGroupKind.User, 1, 10));

        Assert.Equal(2, page.TotalItems);
        Assert.Equal(
            [
                new TraceGroupTotals("u-2", 1, 0, 0m, 0, T0 + 5000, T0 + 5000, 0),
                new TraceGroupTotals("u-1", 2, 3, 1.75m, 24, T0, T0 + 1000, 1),
            ],
            page.Items.AsEnumerable());
    }

    [Fact]
    public async Task QueryTraceGroups_PagingRangeAndSearch_FilterTheTracesCounted()
    {
        var store = await GroupsStoreAsync();
        if (store is null)
        {
            return;
        }

        var second = await store.QueryTraceGroupsAsync(new TraceGroupQuery(P, TraceGroupKind.Session, 2, 1));
        Assert.Equal(3, second.TotalItems);
        Assert.Equal(["sess-gamma"], second.Items.Select(g => g.Id));
        var beyond = await store.QueryTraceGroupsAsync(new TraceGroupQuery(P, TraceGroupKind.Session, 4, 1));
        Assert.Equal(3, beyond.TotalItems);
        Assert.Empty(beyond.Items);

        // From inclusive, to exclusive: t1 (T0) is out, so Sess-Alpha is only t2 and its (no) observations.
        var ranged = await store.QueryTraceGroupsAsync(new TraceGroupQuery(P, TraceGroupKind.Session, 1, 10) { FromTimestampMs = T0 + 1000, ToTimestampMs = T0 + 5001 });
        Assert.Equal(3, ranged.TotalItems);
        Assert.Equal(new TraceGroupTotals("Sess-Alpha", 1, 0, 0m, 0, T0 + 5000, T0 + 5000, 0), ranged.Items[0]);
        var early = await store.QueryTraceGroupsAsync(new TraceGroupQuery(P, TraceGroupKind.Session, 1, 10) { ToTimestampMs = T0 + 1000 });
        Assert.Equal(["Sess-Alpha"], early.Items.Select(g => g.Id));

        var searched = await store.QueryTraceGroupsAsync(new TraceGroupQuery(P, TraceGroupKind.Session, 1, 10) { Search = "SESS-" });
        Assert.Equal(3, searched.TotalItems);
        var alpha = await store.QueryTraceGroupsAsync(new TraceGroupQuery(P, TraceGroupKind.Session, 1, 10) { Search = "alph" });
        Assert.Equal(1, alpha.TotalItems);
        Assert.Equal(2, Assert.Single(alpha.Items).Traces);
        var hostile = await store.QueryTraceGroupsAsync(new TraceGroupQuery(P, TraceGroupKind.User, 1, 10) { Search = "u-1' OR '1'='1" });
        Assert.Equal(0, hostile.TotalItems);
        Assert.Empty(hostile.Items);
    }
}
