using System.Text.Json.Nodes;
using Bunit;
using HotDash.Dashboard.Components.Pages.Admin;
using HotDash.Dashboard.Hosting;
using HotDash.Dashboard.Services.Admin;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace HotDash.Dashboard.Tests.Admin;

/// <summary>The admin pages' numbers, empty states and forms (the gateway's management API recorded, the cluster unreachable).</summary>
public sealed class AdminPagesTests : IAsyncLifetime
{
    // Composed, not inherited: MudBlazor's services dispose only asynchronously, and xunit disposes a test class synchronously.
    private readonly BunitContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    private RecordingHandler Gateway(HttpStatusCode status, string json, string yaml = "")
    {
        var handler = new RecordingHandler(status, json);
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton(new ManagementClient(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:4000/") }));
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.Services.AddSingleton(Options.Create(new HotDashDashboardOptions { ClusterCallTimeout = TimeSpan.FromMilliseconds(200) }));
        _ctx.Services.AddSingleton<IClusterClient>(new UnreachableClusterClient());
        _ctx.Services.AddSingleton<QuotaUsageReader>();
        _ctx.Services.AddSingleton(HotDashConfigLoader.FromYaml(yaml, null, _ => null));
        _ctx.Services.AddSingleton<ModelStatusReader>();
        return handler;
    }

    [Fact]
    public void QuotaCell_Status_WritesDollarsAndThousands()
    {
        Gateway(HttpStatusCode.OK, "{}");
        var status = new QuotaStatus("team:t", 0.0012m, null, null, 12_345, 1_234_567, 3, 0, 0, ImmutableDictionary<string, QuotaModelStatus>.Empty);

        var text = _ctx.Render<QuotaCell>(p => p.Add(c => c.Status, status)).Markup;

        Assert.Contains("$0.0012 this period", text);
        Assert.Contains("12,345 req/min", text);
        Assert.Contains("1,234,567 tok/min", text);
        Assert.Contains("3 in flight", text);
        Assert.DoesNotContain("0.0000", text);
    }

    [Fact]
    public void TeamsPage_Team_SpendBudgetAndLimitsForPeople()
    {
        Gateway(HttpStatusCode.OK, """[{"team_id":"t-1","team_alias":"research","spend":1234.5,"max_budget":25,"budget_duration":"30d","tpm_limit":100000,"rpm_limit":60}]""");

        var cut = _ctx.Render<Teams>();

        cut.WaitForAssertion(() => Assert.Contains("research", cut.Find("#teams tbody tr").TextContent));
        var row = cut.Find("#teams tbody tr").TextContent;
        Assert.Contains("$1,234.50", row);
        Assert.Contains("$25.00 / 30d", row);
        Assert.Contains("100,000 / 60 / –", row);
        Assert.Contains("unavailable", row);
    }

    [Fact]
    public void TeamsPage_ListFails_ShowsOnlyTheError()
    {
        Gateway(HttpStatusCode.Unauthorized, """{"error":{"message":"Authentication Error, invalid master key","type":"auth_error"}}""");

        var cut = _ctx.Render<Teams>();

        cut.WaitForAssertion(() => Assert.Contains("invalid master key", cut.Markup));
        Assert.Empty(cut.FindAll("#teams-empty"));
        Assert.DoesNotContain("No teams yet", cut.Markup);
    }

    [Fact]
    public void TeamsPage_NoTeams_SaysHowToCreateOne()
    {
        Gateway(HttpStatusCode.OK, "[]");

        var cut = _ctx.Render<Teams>();

        cut.WaitForAssertion(() => Assert.Contains("No teams yet: create one above", cut.Find("#teams-empty").TextContent));
    }

    [Fact]
    public void ProjectKeys_NoProjects_SaysWhatToDo()
    {
        Gateway(HttpStatusCode.OK, """{"projects":[],"keys":[]}""");

        var cut = _ctx.Render<ProjectKeys>();

        cut.WaitForAssertion(() => Assert.Contains("Create project, then New key pair", cut.Find("#projects-empty").TextContent));
    }

    [Fact]
    public void ProjectKeys_ListFails_NoEmptyStateOnlyTheError()
    {
        Gateway(HttpStatusCode.InternalServerError, """{"error":{"message":"database is down","type":"internal_error"}}""");

        var cut = _ctx.Render<ProjectKeys>();

        cut.WaitForAssertion(() => Assert.Contains("database is down", cut.Find("#form-error").TextContent));
        Assert.Empty(cut.FindAll("#projects-empty"));
    }

    [Fact]
    public void ProjectKeys_Key_CreatedAtWrittenAsUtcTime()
    {
        Gateway(HttpStatusCode.OK, """
            {"projects":[{"project_id":"p-1","name":"app"}],
             "keys":[{"public_key":"pk-lf-1","display_secret_key":"sk-lf-...abcd","project_id":"p-1","created_at":"2026-12-01T17:45:04.123Z"}]}
            """);

        var cut = _ctx.Render<ProjectKeys>();

        cut.WaitForAssertion(() => Assert.Contains("pk-lf-1", cut.Markup));
        Assert.Contains("2026-12-01 17:45:04 UTC", cut.Markup);
        Assert.DoesNotContain("17:45:04.123Z", cut.Markup);
    }

    [Fact]
    public void ModelsPage_Prices_PerMillionInDollarsFailuresUnknown()
    {
        Gateway(HttpStatusCode.OK, "{}", """
            model_list:
              - model_name: priced
                litellm_params:
                  model: openai/priced
                  input_cost_per_token: 0.0000025
                  output_cost_per_token: 0.00001
            """);

        var cut = _ctx.Render<Models>();

        cut.WaitForAssertion(() => Assert.Contains("priced", cut.Find("#model-status tbody tr").TextContent));
        var row = cut.Find("#model-status tbody tr").TextContent;
        Assert.Contains("$2.50", row);
        Assert.Contains("$10.00", row);
        Assert.Contains("unknown (cluster unreachable)", row);
    }

    [Fact]
    public void TeamEditor_ParentReRendersSameTeam_KeepsWhatWasTyped()
    {
        Gateway(HttpStatusCode.OK, "{}");
        var limits = new LimitsForm { MaxBudget = "10" };
        var cut = _ctx.Render<TeamEditor>(p => p.Add(e => e.TeamId, "t-1").Add(e => e.Alias, "old").Add(e => e.Limits, limits));

        cut.Find("#team_alias").Change("half typ");
        cut.Render(p => p.Add(e => e.TeamId, "t-1").Add(e => e.Alias, "old").Add(e => e.Limits, limits));

        Assert.Equal("half typ", cut.Find("#team_alias").GetAttribute("value"));
    }

    [Fact]
    public void KeyEditor_ParentReRenders_KeepsTypedTextUntilAnotherKeyIsEdited()
    {
        var gateway = Gateway(HttpStatusCode.OK, "{}");
        var cut = _ctx.Render<KeyEditor>(p => p.Add(e => e.Token, "hash-1").Add(e => e.Alias, "first"));

        cut.Find("#key_alias").Change("renamed");
        cut.Render(p => p.Add(e => e.Token, "hash-1").Add(e => e.Alias, "first"));
        Assert.Equal("renamed", cut.Find("#key_alias").GetAttribute("value"));

        cut.Find("#save-key").Click();
        cut.WaitForAssertion(() => Assert.Single(gateway.Requests));
        Assert.Contains("\"key_alias\":\"renamed\"", gateway.Requests[0].Body);

        cut.Render(p => p.Add(e => e.Token, "hash-2").Add(e => e.Alias, "second"));
        Assert.Equal("second", cut.Find("#key_alias").GetAttribute("value"));
    }
}
