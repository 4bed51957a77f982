using System.Text.Json.Nodes;
using Bunit;
using HotDash.Dashboard.Components.Pages.Admin;
using HotDash.Dashboard.Services.Admin;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace HotDash.Dashboard.Tests.Admin;

public sealed class AdminFormTests : BunitContext
{
    private RecordingHandler Gateway(HttpStatusCode status, string json)
    {
        var handler = new RecordingHandler(status, json);
        var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:4000/") };
        ManagementClient.Authorize(http, "sk-master");
        Services.AddMudServices();
        Services.AddSingleton(new ManagementClient(http));
        JSInterop.Mode = JSRuntimeMode.Loose;
        return handler;
    }

    [Fact]
    public void TeamEditor_BudgetNotANumber_SendsTheTextAndShowsTheGatewaysRefusal()
    {
        // The management API's rules and words, not the form's own: what was typed goes as typed.
        var gateway = Gateway(HttpStatusCode.BadRequest,
            """{"error":{"message":"max_budget must be a number, not \"ten\".","type":"invalid_request_error","param":"max_budget","code":"400"}}""");
        var cut = Render<TeamEditor>();

        cut.Find("#max_budget").Change("ten");
        cut.Find("#rpm_limit").Change("1.5");
        cut.Find("#save-team").Click();

        cut.WaitForAssertion(() => Assert.Contains("max_budget must be a number, not \"ten\".", cut.Find("#form-error").TextContent));
        var sent = JsonNode.Parse(Assert.Single(gateway.Requests).Body!)!;
        Assert.Equal("ten", sent["max_budget"]!.GetValue<string>());
        Assert.Equal("1.5", sent["rpm_limit"]!.GetValue<string>());
    }

    [Fact]
    public void TeamEditor_GatewayRefuses_ShowsTheGatewaysMessage()
    {
        var gateway = Gateway(HttpStatusCode.BadRequest,
            """{"error":{"message":"budget_duration must be a duration such as 30s, 1h, 30d, not \"soon\".","type":"invalid_request_error","param":"budget_duration","code":"400"}}""");
        var saved = false;
        var cut = Render<TeamEditor>(p => p.Add(e => e.OnSaved, () => saved = true));

        cut.Find("#team_alias").Change("research");
        cut.Find("#max_budget").Change("25");
        cut.Find("#budget_duration").Change("soon");
        cut.Find("#save-team").Click();

        cut.WaitForAssertion(() => Assert.Contains("budget_duration must be a duration", cut.Find("#form-error").TextContent));
        Assert.False(saved);
        var request = Assert.Single(gateway.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/team/new", request.Path);
        Assert.Equal("Bearer sk-master", request.Authorization);
        Assert.Equal("""{"team_alias":"research","max_budget":25,"budget_duration":"soon"}""", request.Body);
    }

    [Fact]
    public void KeyEditor_Generated_ShowsTheSecretOnce()
    {
        var gateway = Gateway(HttpStatusCode.OK, """{"key":"sk-abc123secret","token":"hash","key_alias":"ci"}""");
        var saved = 0;
        var cut = Render<KeyEditor>(p => p.Add(e => e.OnSaved, () => saved++));

        cut.Find("#key_alias").Change("ci");
        cut.Find("#team_id").Change("team-1");
        cut.Find("#tpm_limit").Change("1000");
        cut.Find("#save-key").Click();

        cut.WaitForAssertion(() => Assert.Contains("sk-abc123secret", cut.Find("#key-secret").TextContent));
        Assert.Equal(1, saved);
        var request = Assert.Single(gateway.Requests);
        Assert.Equal("/key/generate", request.Path);
        Assert.Equal("""{"key_alias":"ci","team_id":"team-1","tpm_limit":1000}""", request.Body);
    }
}
