using System.Globalization;
using HotDash.Dashboard.Components.Shared;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>
/// How the Models page writes a deployment's recent latency: "p50 850 ms · p95 1.24 s" over "1,234 requests · 2 errors";
/// "—" with the reason as its tooltip when the analytics store could not say.
/// </summary>
/// <param name="Latency">The latency line.</param>
/// <param name="Requests">The requests line (empty when unavailable).</param>
/// <param name="Title">The tooltip.</param>
/// <param name="Available">False when the source was missing or failing.</param>
public sealed record DeploymentLatencyText(string Latency, string Requests, string Title, bool Available)
{
    /// <summary>What stands in for a value the source could not give.</summary>
    public const string Missing = "—";

    /// <summary>The text of <paramref name="status"/>'s latency over a window of <paramref name="window"/>.</summary>
    public static DeploymentLatencyText Of(ModelStatus status, TimeSpan window)
    {
        var span = Window(window);
        if (status.Latency is not { } l)
        {
            return new(Missing, "", $"Recent latency unavailable: {status.LatencyUnavailable ?? "the analytics store did not answer"}", false);
        }
        if (l.Requests == 0)
        {
            return new("no requests", "", $"No requests to this deployment in the last {span}.", true);
        }
        var requests = $"{Format.Tokens(l.Requests)} request{(l.Requests == 1 ? "" : "s")}"
            + (l.Errors > 0 ? $" · {Format.Tokens(l.Errors)} error{(l.Errors == 1 ? "" : "s")}" : "");
        var rate = (double)l.Errors / l.Requests;
        return new(
            $"p50 {Format.Latency(l.P50Ms)} · p95 {Format.Latency(l.P95Ms)}",
            requests,
            $"Latency of the last {span} (end minus start of each request); error rate {rate.ToString("0.#%", CultureInfo.InvariantCulture)}.",
            true);
    }

    private static string Window(TimeSpan window) =>
        window == TimeSpan.FromHours(1) ? "hour" : Format.Seconds(window.TotalSeconds);
}
