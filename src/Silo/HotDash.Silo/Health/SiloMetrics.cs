using System.Globalization;
using System.Text;
using HotDash.Analytics;
using HotDash.Grains;
using HotDash.Grains.Tracing;
using Microsoft.Extensions.Options;
using HotDash.Silo.Hosting;

namespace HotDash.Silo.Health;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format (0.0.4): the trace writer shards' queues, retries and written
/// events (each shard's <see cref="ITraceWriterGrain.GetStatus"/>, asked in parallel), and which analytics store and
/// archive this silo uses and whether they are ready. The shard counters count since the shard's activation, so they
/// restart from 0 when a shard moves, which Prometheus treats as a counter reset.
/// </summary>
public sealed class SiloMetrics(IGrainFactory grains, IOptions<TracingPipelineOptions> pipeline, IAnalyticsStore store, IEventArchive archive, AnalyticsInitializer initializer)
{
    /// <summary>The content type Prometheus scrapes.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly TimeSpan ShardTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The whole exposition, one family after the other.</summary>
    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        var shards = pipeline.Value.Shards;
        var statuses = await Task.WhenAll(Enumerable.Range(0, shards).Select(s => StatusAsync(s, cancellationToken)));

        var text = new StringBuilder(1024);
        Family(text, "hotdash_trace_writer_up", "gauge", "1 when the writer shard answered this scrape, else 0.",
            statuses.Select((s, i) => (i, s is null ? 0L : 1L)));
        Family(text, "hotdash_trace_writer_pending_batches", "gauge", "Archived batches the shard still has to write to the analytics store.",
            Answered(statuses, s => s.PendingBatches));
        Family(text, "hotdash_trace_writer_retries_total", "counter", "Failed analytics store writes of the shard since its activation.",
            Answered(statuses, s => s.Retries));
        Family(text, "hotdash_trace_writer_events_written_total", "counter", "Events the shard merged and wrote since its activation.",
            Answered(statuses, s => s.EventsWritten));
        Family(text, "hotdash_trace_writer_failing", "gauge", "1 when the shard's last write attempt failed.",
            Answered(statuses, s => s.LastError is null ? 0 : 1));

        Header(text, "hotdash_analytics_store_info", "gauge", "The analytics store this silo writes and reads (clickhouse or duckdb).");
        text.Append("hotdash_analytics_store_info{kind=\"").Append(Label(store.Kind)).Append("\"} 1\n");
        Header(text, "hotdash_analytics_store_ready", "gauge", "1 once the analytics store's schema is migrated.");
        text.Append("hotdash_analytics_store_ready{kind=\"").Append(Label(store.Kind)).Append("\"} ").Append(initializer.StoreIsReady ? '1' : '0').Append('\n');
        Header(text, "hotdash_archive_info", "gauge", "The event archive this silo writes (s3 or folder).");
        text.Append("hotdash_archive_info{kind=\"").Append(Label(archive.Kind)).Append("\"} 1\n");
        Header(text, "hotdash_archive_ready", "gauge", "1 once the archive's bucket or folder exists.");
        text.Append("hotdash_archive_ready{kind=\"").Append(Label(archive.Kind)).Append("\"} ").Append(initializer.ArchiveIsReady ? '1' : '0').Append('\n');
        Header(text, "hotdash_tracing_shards", "gauge", "Configured trace writer shards (hotdash.tracing.shards).");
        text.Append("hotdash_tracing_shards ").Append(shards.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    private async Task<TraceWriterStatus?> StatusAsync(int shard, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<ITraceWriterGrain>(shard).GetStatus().WaitAsync(ShardTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A shard that does not answer (activating on a busy silo, a silo leaving) is left out of this scrape.
            return null;
        }
    }

    private static IEnumerable<(int Shard, long Value)> Answered(TraceWriterStatus?[] statuses, Func<TraceWriterStatus, long> value) =>
        statuses.Select((s, i) => (s, i)).Where(x => x.s is not null).Select(x => (x.i, value(x.s!)));

    private static void Family(StringBuilder text, string name, string type, string help, IEnumerable<(int Shard, long Value)> samples)
    {
        Header(text, name, type, help);
        foreach (var (shard, value) in samples)
        {
            text.Append(name).Append("{shard=\"").Append(shard.ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    // Label values escape backslash, quote and newline (the exposition format's rule).
    private static string Label(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
