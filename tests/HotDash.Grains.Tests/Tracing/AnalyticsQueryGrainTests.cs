using static HotDash.Grains.Tests.Tracing.TracingTestData;

namespace HotDash.Grains.Tests.Tracing;

/// <summary>The dashboard's reads through the query grain, over events that went through the real pipeline.</summary>
[Collection(TracingClusterCollection.Name)]
public sealed class AnalyticsQueryGrainTests(TracingClusterFixture fixture)
{
    private IAnalyticsQueryGrain Query => fixture.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey);

    [Fact]
    public async Task DashboardQueries_AfterIngestion_AnswerOverviewFiltersAndGroups()
    {
        var project = NewProject();
        var t0 = fixture.NowMs();
        await fixture.Pump(fixture.Aggregator().Add(
        [
            TraceCreate(project, "t-ok", t0, name: "chat", userId: "alice"),
            GenerationCreate(project, "g-ok", "t-ok", t0, g => g with
            {
                EndTimeMs = t0 + 200,
                ModelGroup = "gpt",
                Model = "gpt-4o",
                TeamId = "team-a",
                KeyAlias = "ci-key",
                Deployment = "gpt-east",
                UsageDetails = ImmutableDictionary<string, long>.Empty.Add("input", 10).Add("output", 5),
                TotalCost = 0.5m,
                Output = "\"the needle answer\"",
            }),
            TraceCreate(project, "t-err", t0 + 1, name: "chat", userId: "bob"),
            GenerationCreate(project, "g-err", "t-err", t0 + 1, g => g with
            {
                EndTimeMs = t0 + 51,
                ModelGroup = "claude",
                TeamId = "team-b",
                Level = "ERROR",
                StatusMessage = "upstream 500",
                TotalCost = 0m,
            }),
        ]));

        var overview = await fixture.PumpUntil(
            () => Query.QueryUsageOverview(new UsageOverviewQuery(project, t0 - 60_000, t0 + 60_000, 60_000)),
            o => o.Series.Totals.Requests == 2);
        var failed = await Query.QueryTraces(new TraceQuery(project, 1, 50) { Levels = ["ERROR"] });
        var found = await Query.QueryTraces(new TraceQuery(project, 1, 50) { Search = "NEEDLE", TeamId = "team-a" });
        var users = await Query.QueryTraceGroups(new TraceGroupQuery(project, TraceGroupKind.User, 1, 50));

        Assert.Equal(1, overview.Series.Totals.Errors);
        Assert.Equal(10, overview.Series.Totals.InputTokens);
        Assert.Equal(5, overview.Series.Totals.OutputTokens);
        Assert.Equal(0.5m, overview.Series.Totals.Cost);
        Assert.Equal(["claude", "gpt"], overview.ByModel.Select(m => m.Name).Order().ToArray());
        Assert.Equal("ci-key", Assert.Single(overview.TopKeys).Name);
        Assert.Equal("alice", overview.TopUsers[0].Name);
        Assert.Equal("gpt-east", Assert.Single(overview.ByDeployment).Name);
        var error = Assert.Single(failed.Items);
        Assert.Equal("t-err", error.Trace.Id);
        Assert.Equal("ERROR", error.Level);
        var match = Assert.Single(found.Items);
        Assert.Equal("t-ok", match.Trace.Id);
        Assert.Equal(15, match.TotalTokens);
        Assert.Equal(2, users.TotalItems);
        Assert.Equal(0.5m, users.Items.Single(u => u.Id == "alice").TotalCost);
        Assert.Equal(1, users.Items.Single(u => u.Id == "bob").Errors);
    }
}
