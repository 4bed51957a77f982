namespace HotDash.Silo.Health;

/// <summary>The silo's LiteLLM-style health endpoints.</summary>
public static class HealthEndpoints
{
    /// <summary>The liveliness answer, as LiteLLM gives it.</summary>
    public const string AliveMessage = "I'm alive!";

    // Written as LiteLLM (FastAPI) writes it: a JSON string with the apostrophe unescaped, so probes that
    // grep for "I'm alive" keep working.
    private const string AliveBody = "\"" + AliveMessage + "\"";

    /// <summary>
    /// <c>GET /health/liveliness</c> (and LiteLLM's alias <c>/health/liveness</c>): 200 while the process runs.
    /// <c>GET /health/readiness</c>: a <see cref="ReadinessReport"/>, 200 when healthy, else 503.
    /// <c>GET /metrics</c>: <see cref="SiloMetrics"/> in the Prometheus text format.
    /// </summary>
    public static IEndpointRouteBuilder MapSiloHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/liveliness", Alive);
        app.MapGet("/health/liveness", Alive);
        app.MapGet("/health/readiness", async (SiloReadiness readiness, CancellationToken ct) =>
        {
            var report = await readiness.CheckAsync(ct);
            return Results.Json(report, SiloJsonContext.Default.ReadinessReport,
                statusCode: report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/metrics", async (SiloMetrics metrics, CancellationToken ct) =>
            Results.Text(await metrics.RenderAsync(ct), SiloMetrics.ContentType));
        return app;
    }

    private static IResult Alive() => Results.Text(AliveBody, "application/json");
}
