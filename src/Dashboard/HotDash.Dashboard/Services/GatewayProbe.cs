using System.Diagnostics;
using System.Text.Json;
using HotDash.Dashboard.Hosting;

namespace HotDash.Dashboard.Services;

/// <summary>
/// Probes the gateway's <c>/health/readiness</c> over HTTP (a typed client; its timeout is
/// <see cref="HotDashDashboardOptions.GatewayProbeTimeout"/>). Failures come back as results, never as exceptions.
/// </summary>
public sealed class GatewayProbe(HttpClient http, ILogger<GatewayProbe> logger)
{
    // Readiness answers are small; do not buffer whatever else might answer on that port.
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>The gateway base URL being probed.</summary>
    public string BaseUrl => http.BaseAddress?.ToString().TrimEnd('/') ?? "";

    public async Task<GatewayProbeResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        if (http.BaseAddress is null)
        {
            return new GatewayProbeResult("(none)", false, null, null, 0, "hotdash.gateway_url is not an absolute http(s) URL");
        }
        var url = $"{BaseUrl}/health/readiness";
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync("health/readiness", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = await ReadStatusAsync(response, cancellationToken);
            return new GatewayProbeResult(url, true, (int)response.StatusCode, status, Elapsed(started), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var reason = e is TaskCanceledException ? $"no answer within {http.Timeout.TotalSeconds:0.#} s" : e.Message;
            DashboardLog.GatewayProbeFailed(logger, url, reason);
            return new GatewayProbeResult(url, false, null, null, Elapsed(started), reason);
        }
    }

    private static async Task<string?> ReadStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true
            || response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body.Length > MaxBodyBytes)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("status", out var s)
                && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
