using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// The Langfuse-compatible public API (<c>/api/public/*</c>) the dashboard serves: ingestion (Langfuse SDK batches,
/// OTLP/HTTP traces, scores) into the trace aggregator, and the reads of traces, observations, scores, sessions and
/// daily metrics from the analytics store, in Langfuse's JSON shapes. Authenticated with project API keys
/// (<see cref="ProjectKeyAuthenticator"/>).
/// </summary>
public static class PublicApiEndpoints
{
    /// <summary>The CORS policy of the public API: any origin, as Langfuse's (<c>cors({ origin: true })</c>), for browser SDKs.</summary>
    public const string CorsPolicy = "langfuse-public-api";

    /// <summary>Adds the authenticator, the request runner and the CORS policy.</summary>
    public static IServiceCollection AddLangfusePublicApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProjectKeyAuthenticator>();
        services.AddSingleton<PublicApiRunner>();
        services.AddCors(o => o.AddPolicy(CorsPolicy, p => p.SetIsOriginAllowed(_ => true).AllowAnyHeader().AllowAnyMethod()));
        return services;
    }

    /// <summary>Maps <c>/api/public/*</c> (the caller runs <c>UseCors()</c> so preflights are answered).</summary>
    public static IEndpointRouteBuilder MapLangfusePublicApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/public").DisableAntiforgery().RequireCors(CorsPolicy);

        api.MapGet("/health", (ClusterConnection connection) => ProjectEndpoints.Health(connection));

        // Ingestion: a key pair, or the public key alone for score events (Langfuse's "scores" access).
        api.MapPost("/ingestion", (HttpContext http, PublicApiRunner run) => run.RunAsync(http, allowPublicKeyOnly: true, IngestionEndpoints.IngestAsync));
        api.MapPost("/otel/v1/traces", (HttpContext http, PublicApiRunner run) => run.RunAsync(http, allowPublicKeyOnly: false, OtelEndpoints.ExportAsync));
        api.MapPost("/scores", (HttpContext http, PublicApiRunner run) => run.RunAsync(http, allowPublicKeyOnly: true, IngestionEndpoints.CreateScoreAsync));

        Get(api, "/traces", TraceEndpoints.ListAsync);
        Get(api, "/traces/{traceId}", TraceEndpoints.GetAsync);
        Get(api, "/observations", ObservationEndpoints.ListAsync);
        Get(api, "/observations/{observationId}", ObservationEndpoints.GetAsync);
        Get(api, "/scores", ScoreEndpoints.ListV1Async);
        Get(api, "/scores/{scoreId}", ScoreEndpoints.GetV1Async);
        Get(api, "/v2/scores", ScoreEndpoints.ListV2Async);
        Get(api, "/v2/scores/{scoreId}", ScoreEndpoints.GetV2Async);
        Get(api, "/sessions", SessionEndpoints.ListAsync);
        Get(api, "/sessions/{sessionId}", SessionEndpoints.GetAsync);
        Get(api, "/metrics/daily", MetricsEndpoints.DailyAsync);
        // Langfuse answers the public key alone here with its own 403 (ProjectEndpoints.ListAsync), not the generic one.
        api.MapGet("/projects", (HttpContext http, PublicApiRunner run) => run.RunAsync(http, allowPublicKeyOnly: true, ProjectEndpoints.ListAsync));
        return app;
    }

    private static void Get(RouteGroupBuilder api, string pattern, Func<PublicApiCall, Task<IResult>> handler) =>
        api.MapGet(pattern, (HttpContext http, PublicApiRunner run) => run.RunAsync(http, allowPublicKeyOnly: false, handler));
}
