using System.Globalization;
using System.Text;

namespace HotDash.Bench.Ingest;

/// <summary>The run's figures, printed once at the end as one table (and the detail under it).</summary>
internal static class Figures
{
    public static string Render(string header, PhaseReport? api, PhaseReport? gateway)
    {
        var rows = new List<(string Figure, string Value, string Note)>();
        if (api is { } a)
        {
            rows.Add(("public API: events accepted/s", Rate(a.Load.AcceptedPerSecond), $"{a.Load.Accepted} events with 201 in {Sec(a.Load.Elapsed)}"));
            rows.Add(("public API: events stored/s", a.Store.Reached ? Rate(a.StoredRowsPerSecond) : "NOT ALL STORED",
                $"{a.Store.Last.Total - a.Baseline.Total}/{a.Target - a.Baseline.Total} rows in {Sec(a.Store.Elapsed)} from the first request (lag {Sec(a.Lag)})"));
            rows.Add(("public API: request p50 / p99 ms", $"{Ms(a.Load.Latencies.Percentile(50))} / {Ms(a.Load.Latencies.Percentile(99))}",
                $"{a.Load.Requests} requests, {a.Load.RequestsPerSecond.ToString("0.0", CultureInfo.InvariantCulture)}/s"));
        }
        if (gateway is { } g)
        {
            rows.Add(("gateway: requests/s", Rate(g.Load.AcceptedPerSecond), $"{g.Load.Accepted} answered 200 in {Sec(g.Load.Elapsed)}"));
            rows.Add(("gateway: request p50 / p99 ms", $"{Ms(g.Load.Latencies.Percentile(50))} / {Ms(g.Load.Latencies.Percentile(99))}", ""));
            rows.Add(("gateway: traces stored/s", g.Store.Reached ? Rate(g.StoredRowsPerSecond / 2) : "NOT ALL STORED",
                $"{g.Store.Last.Traces - g.Baseline.Traces} traces + {g.Store.Last.Observations - g.Baseline.Observations} generations of {g.Load.Accepted} each in {Sec(g.Store.Elapsed)} (lag {Sec(g.Lag)})"));
        }

        var sb = new StringBuilder();
        sb.AppendLine(header);
        var w1 = Math.Max("figure".Length, rows.Max(r => r.Figure.Length));
        var w2 = Math.Max("value".Length, rows.Max(r => r.Value.Length));
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"figure".PadRight(w1)}  {"value".PadLeft(w2)}  detail");
        sb.AppendLine(new string('-', w1 + w2 + 10));
        foreach (var (figure, value, note) in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{figure.PadRight(w1)}  {value.PadLeft(w2)}  {note}");
        }
        foreach (var (name, phase) in new[] { ("public API", api), ("gateway", gateway) })
        {
            if (phase is null)
            {
                continue;
            }
            if (phase.Load.Failed > 0)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{name}: {phase.Load.Failed} refused or lost; first errors: {string.Join(" | ", phase.Load.Errors)}");
            }
            if (phase.Load.Capped)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{name}: the duration cap ended sending after {phase.Load.Requests} requests");
            }
            if (!phase.Store.Reached)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{name}: the store held {phase.Store.Last} (baseline {phase.Baseline}) when the wait gave up; expected {phase.Target} rows{(phase.Store.Error is { } e ? $"; last count error: {e}" : "")}");
            }
        }
        return sb.ToString();
    }

    private static string Rate(double v) => v.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Ms(double v) => double.IsNaN(v) ? "-" : v.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Sec(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
