using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HotDash.Dashboard.Tests.Infrastructure;

/// <summary>Signs in to a dashboard that requires a login, as a browser does: reads the form, posts it, keeps the cookies.</summary>
internal static partial class DashboardLogin
{
    /// <summary>A client that does not follow redirects and keeps cookies (the antiforgery and the sign-in cookie).</summary>
    public static HttpClient Client(WebApplicationFactory<Program> dashboard) =>
        dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the login form with <paramref name="username"/>/<paramref name="password"/>; the response is returned as is.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string username, string password, string returnUrl = "/")
    {
        var form = await client.GetStringAsync($"/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        var token = AntiforgeryToken().Match(form);
        Assert.True(token.Success, "the login page carries no antiforgery token");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "login",
            ["Input.Username"] = username,
            ["Input.Password"] = password,
        });
        return await client.PostAsync($"/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", body);
    }

    /// <summary>A client signed in with <paramref name="username"/>/<paramref name="password"/> (fails the test otherwise).</summary>
    public static async Task<HttpClient> SignedInAsync(WebApplicationFactory<Program> dashboard, string username, string password)
    {
        var client = Client(dashboard);
        using var response = await PostAsync(client, username, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
