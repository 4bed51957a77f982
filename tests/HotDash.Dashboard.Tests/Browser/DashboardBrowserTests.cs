using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotDash.Dashboard.Access;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HotDash.Dashboard.Tests.Browser;

/// <summary>
/// The dashboard as a person uses it: headless chromium against the built silo, gateway and dashboard running as
/// processes, requests sent to the gateway and their traces and spend read back in the browser. Selectors are labels,
/// roles, element ids and data labels, which the pages keep while their layout changes.
/// </summary>
public sealed partial class DashboardBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    // Every test is bounded on its own as well as by the class's budget.
    private const int TestTimeout = 180_000;

    private static readonly string InvalidLogin = HotDash.Dashboard.Components.Pages.Login.InvalidLogin;

    [Fact(Timeout = TestTimeout)]
    public Task Dashboard_WithoutLogin_RedirectsToLoginPage() => RunAsync(async p =>
    {
        await p.Page.GotoAsync("/traces", new PageGotoOptions { Timeout = p.Timeout });

        await Assertions.Expect(p.Page).ToHaveURLAsync(new Regex(@"/login\?ReturnUrl=%2Ftraces$"), new PageAssertionsToHaveURLOptions { Timeout = p.Timeout });
        await p.ExpectVisibleAsync(p.Page.GetByLabel("Username"));
        await p.ExpectVisibleAsync(p.Page.GetByLabel("Password"));
        await p.ExpectVisibleAsync(p.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }));
        Assert.Equal(0, await p.Page.GetByText("Traces", new PageGetByTextOptions { Exact = true }).CountAsync());
    });

    [Fact(Timeout = TestTimeout)]
    public Task Login_WrongPassword_IsRefusedWithoutSayingWhichPart() => RunAsync(async p =>
    {
        var first = await p.SubmitLoginAsync(EmbeddedDeployment.UiUsername, "not-the-password", "/traces");
        var wrongPassword = (await p.Page.Locator("#login-error").InnerTextAsync(new LocatorInnerTextOptions { Timeout = p.Timeout })).Trim();
        var second = await p.SubmitLoginAsync("not-the-user", EmbeddedDeployment.UiPassword, "/traces");
        var wrongUser = (await p.Page.Locator("#login-error").InnerTextAsync(new LocatorInnerTextOptions { Timeout = p.Timeout })).Trim();

        Assert.Equal(401, first.Status);
        Assert.Equal(401, second.Status);
        Assert.Equal(InvalidLogin, wrongPassword);
        Assert.Equal(wrongPassword, wrongUser);
        Assert.Contains("/login", p.Page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(await p.Context.CookiesAsync(), c => c.Name == DashboardAccessExtensions.CookieName);
        // Still locked out.
        await p.Page.GotoAsync("/", new PageGotoOptions { Timeout = p.Timeout });
        await Assertions.Expect(p.Page).ToHaveURLAsync(new Regex(@"/login\?ReturnUrl=%2F$"), new PageAssertionsToHaveURLOptions { Timeout = p.Timeout });
    });

    [Fact(Timeout = TestTimeout)]
    public Task Login_ThenTraces_ShowsTheTraceAGatewayRequestJustMade() => RunAsync(async p =>
    {
        var user = Unique("browser-user");
        var name = Unique("browser-trace");
        await fixture.Deployment.ChatAsync(EmbeddedDeployment.MasterKey, Chat("hello from the browser test", user, name));

        await p.SignInAsync("/traces");
        var row = Row(p, name);
        await p.ReloadUntilVisibleAsync(row, $"the trace {name}");

        await Assertions.Expect(row).ToContainTextAsync(user, new LocatorAssertionsToContainTextOptions { Timeout = p.Timeout });
        Assert.True(Money(await row.Locator("td[data-label=Cost]").InnerTextAsync()) > 0m, "the trace's cost is shown as $0");
    });

    [Fact(Timeout = TestTimeout)]
    public Task Traces_FilterByName_ShowsOnlyMatching() => RunAsync(async p =>
    {
        var alpha = Unique("browser-alpha");
        var beta = Unique("browser-beta");
        await fixture.Deployment.ChatAsync(EmbeddedDeployment.MasterKey, Chat("first of two", Unique("user"), alpha));
        await fixture.Deployment.ChatAsync(EmbeddedDeployment.MasterKey, Chat("second of two", Unique("user"), beta));

        await p.SignInAsync("/traces");
        await p.ReloadUntilAsync(async () => await Row(p, alpha).CountAsync() == 1 && await Row(p, beta).CountAsync() == 1, "both traces listed");
        await p.FillAsync(p.Page.GetByLabel("Name", new PageGetByLabelOptions { Exact = true }), alpha);
        await p.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Apply", Exact = true }).ClickAsync();

        await Assertions.Expect(Row(p, beta)).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = p.Timeout });
        await Assertions.Expect(Row(p, alpha)).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = p.Timeout });
        // Every row left is the one name filtered for, not only "no beta".
        var names = await p.Page.Locator("tbody tr td[data-label=Name]").AllInnerTextsAsync();
        Assert.All(names, n => Assert.Equal(alpha, n.Trim()));
    });

    [Fact(Timeout = TestTimeout)]
    public Task TraceDetail_OpensFromTheTable_ShowsTheConversation() => RunAsync(async p =>
    {
        var name = Unique("browser-detail");
        var said = Unique("please show this conversation");
        var completion = await fixture.Deployment.ChatAsync(EmbeddedDeployment.MasterKey, Chat(said, Unique("user"), name));
        var answer = completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

        await p.SignInAsync("/traces");
        var row = Row(p, name);
        await p.ReloadUntilVisibleAsync(row, $"the trace {name}");
        await row.ClickAsync();

        await Assertions.Expect(p.Page).ToHaveURLAsync(new Regex(@"/traces/[^/?]+$"), new PageAssertionsToHaveURLOptions { Timeout = p.Timeout });
        await p.ExpectVisibleAsync(p.Page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = name, Exact = true }));
        await p.ExpectVisibleAsync(p.Page.GetByText(said).First);
        await p.ExpectVisibleAsync(p.Page.GetByText(answer, new PageGetByTextOptions { Exact = true }).First);
    });

    [Fact(Timeout = TestTimeout)]
    public Task Admin_CreateTeamAndKey_ThenTheKeysSpendMovesAfterARequest() => RunAsync(async p =>
    {
        var teamAlias = Unique("browser-team");
        var keyAlias = Unique("browser-key");

        await p.SignInAsync("/admin/teams");
        await p.FillAsync(p.Page.Locator("#team_alias"), teamAlias);
        await p.Page.Locator("#save-team").ClickAsync();
        var team = p.Page.Locator("#teams tbody tr").Filter(new LocatorFilterOptions { HasText = teamAlias });
        await p.ExpectVisibleAsync(team);
        var teamId = (await team.Locator("td[data-label=team_id]").InnerTextAsync()).Trim();
        Assert.False(string.IsNullOrEmpty(teamId), "the new team's row shows no team_id");

        await p.GotoAsync("/admin/keys");
        await p.FillAsync(p.Page.Locator("#key_alias"), keyAlias);
        await p.FillAsync(p.Page.Locator("#team_id"), teamId);
        await p.Page.Locator("#save-key").ClickAsync();
        var secret = (await p.Page.Locator("#key-secret code").InnerTextAsync(new LocatorInnerTextOptions { Timeout = p.Timeout })).Trim();
        Assert.StartsWith("sk-", secret, StringComparison.Ordinal);
        var key = p.Page.Locator("#keys tbody tr").Filter(new LocatorFilterOptions { HasText = keyAlias });
        await p.ExpectVisibleAsync(key);
        await Assertions.Expect(key).ToContainTextAsync(teamId);
        var before = Money(await key.Locator("td[data-label=Spend]").InnerTextAsync());
        Assert.Equal(0m, before);

        await fixture.Deployment.ChatAsync(secret, Chat("spend some money", Unique("user"), Unique("browser-spend")));
        var sent = System.Diagnostics.Stopwatch.StartNew();

        // Spend reaches the registry in the gateway's next spend batch.
        decimal? after = null;
        await p.ReloadUntilAsync(async () =>
        {
            after = await key.CountAsync() == 1 ? Money(await key.Locator("td[data-label=Spend]").InnerTextAsync()) : null;
            return after > 0m;
        }, $"the key {keyAlias}'s spend to move above $0");
        output.WriteLine($"spend of {keyAlias}: {before} -> {after}, shown {sent.Elapsed.TotalSeconds:0.0} s after the request");
    });

    [Fact(Timeout = TestTimeout)]
    public Task OrleansDashboard_AfterLogin_Opens() => RunAsync(async p =>
    {
        // The Orleans Dashboard is its own app (no Blazor circuit): it renders from the counters it polls.
        var counters = p.Page.WaitForResponseAsync(r => r.Url.Contains("/orleans/DashboardCounters", StringComparison.Ordinal) && r.Ok,
            new PageWaitForResponseOptions { Timeout = p.Timeout });
        await p.SignInAsync("/orleans/", interactive: false);
        await counters;

        await Assertions.Expect(p.Page).ToHaveTitleAsync(new Regex("Orleans", RegexOptions.IgnoreCase), new PageAssertionsToHaveTitleOptions { Timeout = p.Timeout });
        // The overview's tiles, filled from the silo's counters: this one silo, active.
        await p.ExpectVisibleAsync(p.Page.GetByText("Active silos").First);
        await p.ExpectVisibleAsync(p.Page.GetByText("Total activations").First);
    });

    [Fact(Timeout = TestTimeout)]
    public Task Home_AfterARequest_ShowsItInTheUsageOverview() => RunAsync(async p =>
    {
        await fixture.Deployment.ChatAsync(EmbeddedDeployment.MasterKey, Chat("count me on the overview", Unique("user"), Unique("browser-home")));

        await p.SignInAsync("/");
        // The overview refreshes itself from the live rollups; reloading only bounds the wait.
        await p.ReloadUntilVisibleAsync(p.Page.Locator("#by-model").GetByText(EmbeddedDeployment.PricedModel), "the priced model in the by-model table");

        var requests = (await p.Page.Locator("#stat-requests").InnerTextAsync()).Trim();
        Assert.Matches(new Regex(@"Requests\s*[1-9]"), requests);
        Assert.True(Money(await p.Page.Locator("#stat-cost").InnerTextAsync()) > 0m, "the overview's cost is shown as $0");
        // Charts, not only tables.
        Assert.True(await p.Page.Locator("svg").CountAsync() > 0, "no chart on the overview");
    });

    [Fact(Timeout = TestTimeout)]
    public Task Cluster_AfterLogin_ShowsTheSiloAndItsActivations() => RunAsync(async p =>
    {
        await p.SignInAsync("/cluster");

        await p.ExpectVisibleAsync(p.Page.Locator("#cluster-silos"));
        await Assertions.Expect(p.Page.Locator("#cluster-silos")).ToContainTextAsync("Active", new LocatorAssertionsToContainTextOptions { Timeout = p.Timeout });
        await p.ExpectVisibleAsync(p.Page.Locator("#grain-types"));
        await Assertions.Expect(p.Page.Locator("#total-activations")).ToContainTextAsync("activations", new LocatorAssertionsToContainTextOptions { Timeout = p.Timeout });
    });

    [Fact(Timeout = TestTimeout)]
    public Task DarkMode_Toggled_SurvivesAReload() => RunAsync(async p =>
    {
        await p.SignInAsync("/");
        var light = await Background(p);

        await p.Page.GetByLabel("Toggle dark mode").ClickAsync();
        await Assertions.Expect(p.Page.Locator("body")).Not.ToHaveCSSAsync("background-color", light, new LocatorAssertionsToHaveCSSOptions { Timeout = p.Timeout });
        var dark = await Background(p);
        await p.ReloadAsync();

        Assert.Contains(await p.Context.CookiesAsync(), c => c.Name == "hotdash.theme");
        await Assertions.Expect(p.Page.Locator("body")).ToHaveCSSAsync("background-color", dark, new LocatorAssertionsToHaveCSSOptions { Timeout = p.Timeout });
    });

    [Fact(Timeout = TestTimeout)]
    public Task NarrowWindow_NavigationStartsClosedAndOpensFromTheMenu() => RunAsync(async p =>
    {
        await p.SignInAsync("/traces");
        var sessions = p.Page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Sessions" });

        // The drawer is over the page on a phone, so it starts closed and the page has the whole width.
        await Assertions.Expect(sessions).Not.ToBeInViewportAsync(new LocatorAssertionsToBeInViewportOptions { Timeout = p.Timeout });
        await p.ExpectVisibleAsync(p.Page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Traces" }));
        await p.Page.GetByLabel("Toggle navigation").ClickAsync();

        await Assertions.Expect(sessions).ToBeInViewportAsync(new LocatorAssertionsToBeInViewportOptions { Timeout = p.Timeout });
    }, width: 420);

    private static Task<string> Background(DashboardPage p) =>
        p.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    private async Task RunAsync(Func<DashboardPage, Task> test, [CallerMemberName] string name = "", int width = 1280)
    {
        if (fixture.Missing is { } missing)
        {
            Prerequisite.Missing(output, missing);
            return;
        }
        var page = await fixture.OpenAsync(name, width);
        try
        {
            await test(page);
        }
        catch
        {
            output.WriteLine($"failed at {page.Page.Url}\n{fixture.Deployment.Describe()}");
            throw;
        }
        finally
        {
            await page.CloseAsync(output);
        }
    }

    private static ILocator Row(DashboardPage p, string text) =>
        p.Page.Locator("tbody tr").Filter(new LocatorFilterOptions { HasText = text });

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A chat completion for the priced mock, traced under <paramref name="traceName"/> for <paramref name="user"/>.</summary>
    private static string Chat(string content, string user, string traceName) => JsonSerializer.Serialize(new
    {
        model = EmbeddedDeployment.PricedModel,
        user,
        messages = new[] { new { role = "user", content } },
        metadata = new { trace_name = traceName, generation_name = traceName + "-generation", tags = new[] { "browser-test" } },
    });

    /// <summary>A dollar amount as shown ("$0.0123", "$1,234.50"), or 0 when none is shown.</summary>
    private static decimal Money(string text)
    {
        var match = Amount().Match(text);
        return match.Success ? decimal.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture) : 0m;
    }

    [GeneratedRegex(@"\$\s*([0-9][0-9,]*(?:\.[0-9]+)?)")]
    private static partial Regex Amount();
}
