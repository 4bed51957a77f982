using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Access;

/// <summary>
/// The dashboard login: cookie authentication, the gate in front of every page, <c>/orleans</c> and the JSON
/// endpoints, and <c>POST /logout</c>. The login form itself is the <c>/login</c> page.
/// </summary>
public static class DashboardAccessExtensions
{
    /// <summary>The cookie that carries the sign-in.</summary>
    public const string CookieName = "hotdash.dashboard";

    /// <summary>Registers the credentials, the failure throttle and cookie authentication.</summary>
    public static IServiceCollection AddDashboardAccess(this IServiceCollection services)
    {
        services.AddOptions<DashboardAccessOptions>()
            .BindConfiguration(DashboardAccessOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<DashboardCredentials>();
        services.AddSingleton<LoginThrottle>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<DashboardAccessOptions>>((cookie, access) =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                // Lax, not Strict: a link to the dashboard from chat or mail still arrives signed in; cross-site POSTs do not.
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = access.Value.SessionLifetime;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/login";
                cookie.LogoutPath = "/logout";
                cookie.Events.OnRedirectToLogin = RedirectPagesOnly;
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        services.AddAuthorization();
        return services;
    }

    /// <summary>
    /// Adds authentication and the login gate to the pipeline (before antiforgery, whose tokens are bound to the user)
    /// and logs once at start whether the dashboard needs a login.
    /// </summary>
    public static WebApplication UseDashboardAccess(this WebApplication app)
    {
        var credentials = app.Services.GetRequiredService<DashboardCredentials>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HotDash.Dashboard.Access");
        if (credentials.IsOpen)
        {
            AccessLog.DashboardOpen(logger);
        }
        else
        {
            AccessLog.LoginRequired(logger, credentials.Username, credentials.Source);
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            if (credentials.IsOpen || context.User.Identity?.IsAuthenticated == true || IsPublic(context))
            {
                await next(context);
                return;
            }
            await context.ChallengeAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        });
        return app;
    }

    /// <summary>Maps <c>POST /logout</c> (antiforgery-checked): ends the sign-in and returns to the login page.</summary>
    public static IEndpointRouteBuilder MapDashboardAccess(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            // The endpoint binds no form, so antiforgery is checked here: a cross-site form must not sign anyone out.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        }).DisableAntiforgery();
        return app;
    }

    /// <summary>The signed-in principal for <paramref name="username"/>.</summary>
    public static ClaimsPrincipal Principal(string username) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, username)], CookieAuthenticationDefaults.AuthenticationScheme));

    // What stays reachable without a login: the login page, the Langfuse API (its own Basic auth), the probes and the
    // static assets the login page itself needs.
    private static bool IsPublic(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals("/login", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api/public", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/css", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        // Fingerprinted build assets (app.css, ...) served by MapStaticAssets.
        return context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null;
    }

    // A browser asking for a page is sent to the login; scripts and fetches (the Orleans Dashboard's JSON, the Blazor
    // circuit) get a plain 401 that they can act on, not an HTML page.
    private static Task RedirectPagesOnly(RedirectContext<CookieAuthenticationOptions> context)
    {
        var request = context.Request;
        var wantsHtml = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
        if (wantsHtml)
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            // Not the HTML not-found page: a 401 to a script stays an empty 401.
            context.HttpContext.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        }
        return Task.CompletedTask;
    }
}
