using System.Net.Http.Headers;
using HotDash.Dashboard.Access;
using HotDash.Hosting.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HotDash.Dashboard.Tests.Access;

[Collection(DashboardCollection.Name)]
public sealed class LoginTests(DashboardFixture fixture)
{
    private const string Password = "ui-password-for-tests";
    private const string MasterKey = "sk-master-key-for-tests";
    private const string InvalidLogin = "Invalid username or password.";

    [Fact]
    public async Task Page_NotSignedIn_RedirectsToLoginWithReturnUrl()
    {
        await using var dashboard = WithUiPassword();
        using var client = DashboardLogin.Client(dashboard);

        using var response = await client.SendAsync(HtmlGet("/?x=1"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2F%3Fx%3D1", LocalTarget(response));
    }

    [Fact]
    public async Task OrleansDashboard_NotSignedIn_RedirectsPageAndRefusesJson()
    {
        await using var dashboard = WithUiPassword();
        using var client = DashboardLogin.Client(dashboard);

        using var page = await client.SendAsync(HtmlGet("/orleans/"));
        using var counters = await client.GetAsync("/orleans/DashboardCounters");
        using var circuit = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Forleans%2F", LocalTarget(page));
        Assert.Equal(HttpStatusCode.Unauthorized, counters.StatusCode);
        Assert.Equal("", await counters.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, circuit.StatusCode);
    }

    [Fact]
    public async Task Login_RightPassword_SetsHttpOnlySameSiteCookieAndPagesRender()
    {
        await using var dashboard = WithUiPassword();
        using var client = DashboardLogin.Client(dashboard);

        using var response = await DashboardLogin.PostAsync(client, DashboardCredentials.DefaultUsername, Password, "/orleans/");
        using var home = await client.SendAsync(HtmlGet("/"));
        using var cluster = await client.SendAsync(HtmlGet("/cluster"));
        using var orleans = await client.GetAsync("/orleans/DashboardCounters");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/orleans/", LocalTarget(response));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(DashboardAccessExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cluster.StatusCode);
        Assert.Contains(TestSilo.Name, await cluster.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, orleans.StatusCode);
    }

    [Fact]
    public async Task Login_ExternalReturnUrl_RedirectsHomeInstead()
    {
        await using var dashboard = WithUiPassword();
        using var client = DashboardLogin.Client(dashboard);

        using var response = await DashboardLogin.PostAsync(client, DashboardCredentials.DefaultUsername, Password, "//evil.example/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", LocalTarget(response));
    }

    [Theory]
    [InlineData("admin", "wrong-password")]
    [InlineData("someone", Password)]
    public async Task Login_WrongUsernameOrPassword_RefusedWithOneGenericMessage(string username, string password)
    {
        await using var dashboard = WithUiPassword();
        using var client = DashboardLogin.Client(dashboard);

        using var response = await DashboardLogin.PostAsync(client, username, password);
        using var home = await client.SendAsync(HtmlGet("/"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(InvalidLogin, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith(DashboardAccessExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task Login_MissingAntiforgeryToken_Refused()
    {
        await using var dashboard = WithUiPassword();
        using var client = DashboardLogin.Client(dashboard);
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Username"] = "admin", ["Input.Password"] = Password,
        });

        using var response = await client.PostAsync("/login", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie")
            .Any(c => c.StartsWith(DashboardAccessExtensions.CookieName + "=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Login_SixthWrongTryWithinAMinute_Answers429WithRetryAfter()
    {
        await using var dashboard = WithUiPassword();
        using var client = DashboardLogin.Client(dashboard);

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await DashboardLogin.PostAsync(client, "admin", $"wrong-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var sixth = await DashboardLogin.PostAsync(client, "admin", "wrong-5");
        // Blocked is blocked: even the right password waits for the window to pass.
        using var right = await DashboardLogin.PostAsync(client, "admin", Password);

        Assert.Equal((HttpStatusCode)429, sixth.StatusCode);
        var retryAfter = sixth.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Contains("Too many failed sign-in attempts", await sixth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)429, right.StatusCode);
    }

    [Fact]
    public async Task PublicEndpoints_NotSignedIn_StayReachable()
    {
        await using var dashboard = WithUiPassword();
        using var client = DashboardLogin.Client(dashboard);

        using var health = await client.GetAsync("/api/public/health");
        using var liveliness = await client.GetAsync("/health/liveliness");
        using var css = await client.GetAsync("/_content/MudBlazor/MudBlazor.min.css");
        using var login = await client.SendAsync(HtmlGet("/login"));
        using var projects = await client.GetAsync("/api/public/projects");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, liveliness.StatusCode);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var loginHtml = await login.Content.ReadAsStringAsync();
        Assert.Contains("Sign in", loginHtml, StringComparison.Ordinal);
        // The login page's own fingerprinted stylesheet and script load before signing in.
        foreach (var asset in new[] { "href=\"(app[^\"]*\\.css)\"", "src=\"(_framework/blazor\\.web[^\"]*\\.js)\"" })
        {
            var href = System.Text.RegularExpressions.Regex.Match(loginHtml, asset);
            Assert.True(href.Success, asset);
            using var served = await client.GetAsync("/" + href.Groups[1].Value);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }
        // The Langfuse API answers with its own Basic auth, not with the dashboard's login redirect.
        Assert.Equal(HttpStatusCode.Unauthorized, projects.StatusCode);
        Assert.Null(projects.Headers.Location);
    }

    [Fact]
    public async Task Login_NoUiPassword_MasterKeyIsAdminsPassword()
    {
        await using var dashboard = WithConfig($"general_settings:\n  master_key: {MasterKey}\n");
        using var client = DashboardLogin.Client(dashboard);

        using var anonymous = await client.SendAsync(HtmlGet("/"));
        using var wrong = await DashboardLogin.PostAsync(client, "admin", Password);
        using var right = await DashboardLogin.PostAsync(client, "admin", MasterKey);
        using var home = await client.SendAsync(HtmlGet("/"));

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task Login_ConfigUiUsernameAndPassword_TakePrecedenceOverMasterKey()
    {
        await using var dashboard = WithConfig($"general_settings:\n  master_key: {MasterKey}\n  ui_username: ops\n  ui_password: {Password}\n");
        using var client = DashboardLogin.Client(dashboard);

        using var masterKey = await DashboardLogin.PostAsync(client, "admin", MasterKey);
        using var ui = await DashboardLogin.PostAsync(client, "ops", Password);

        Assert.Equal(HttpStatusCode.Unauthorized, masterKey.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ui.StatusCode);
    }

    [Fact]
    public async Task Dashboard_NoPasswordNoMasterKey_IsOpen()
    {
        using var client = DashboardLogin.Client(fixture.Dashboard);

        using var home = await client.SendAsync(HtmlGet("/"));
        using var counters = await client.GetAsync("/orleans/DashboardCounters");
        using var login = await client.SendAsync(HtmlGet("/login"));

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        Assert.Contains("No login is configured", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_SignedIn_EndsTheSession()
    {
        await using var dashboard = WithUiPassword();
        using var client = await DashboardLogin.SignedInAsync(dashboard, "admin", Password);
        var form = await client.GetStringAsync("/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) });

        using var forged = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        using var stillIn = await client.SendAsync(HtmlGet("/"));
        using var logout = await client.PostAsync("/logout", body);
        using var after = await client.SendAsync(HtmlGet("/"));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/login", LocalTarget(logout));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    private WebApplicationFactory<Program> WithUiPassword() =>
        fixture.Dashboard.WithWebHostBuilder(web => web.UseSetting("UI_PASSWORD", Password));

    // As if config.yaml said so: the dashboard reads its credentials from the HotDashConfig it was given.
    private WebApplicationFactory<Program> WithConfig(string yaml) =>
        fixture.Dashboard.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton(HotDashConfigLoader.FromYaml(yaml, null, _ => null))));

    // The redirect's target on this dashboard (absolute or relative): never another host.
    private static string LocalTarget(HttpResponseMessage response)
    {
        var location = Assert.IsType<Uri>(response.Headers.Location);
        if (!location.IsAbsoluteUri)
        {
            return location.OriginalString;
        }
        Assert.Equal("localhost", location.Host);
        return location.PathAndQuery;
    }

    private static HttpRequestMessage HtmlGet(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return request;
    }
}
