using HotDash.Analytics;

namespace HotDash.Grains.Tests.Tracing;

internal static class TracingTestData
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A project of its own, so tests sharing the store never see each other's rows.</summary>
    public static string NewProject() => "p-" + Guid.NewGuid().ToString("N")[..12];

    public static long NowMs(this TracingClusterFixture fixture) => fixture.Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static ITraceAggregatorGrain Aggregator(this TracingClusterFixture fixture) =>
        fixture.Grains.GetGrain<ITraceAggregatorGrain>(ITraceAggregatorGrain.DefaultKey);

    public static ITraceWriterGrain Writer(this TracingClusterFixture fixture, int shard) =>
        fixture.Grains.GetGrain<ITraceWriterGrain>(shard);

    /// <summary>Moves the fake clock a flush interval at a time until <paramref name="task"/> completes, then awaits it.</summary>
    public static async Task Pump(this TracingClusterFixture fixture, Task task)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the call did not complete while the clock moved");
            }
            fixture.Time.Advance(TracingClusterFixture.FlushInterval);
            await Task.WhenAny(task, Task.Delay(20));
        }
        await task;
    }

    /// <summary>Moves the fake clock until <paramref name="read"/> gives a value <paramref name="done"/> accepts.</summary>
    public static async Task<T> PumpUntil<T>(this TracingClusterFixture fixture, Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"still {value} after {Deadline.TotalSeconds} s");
            }
            fixture.Time.Advance(TracingClusterFixture.FlushInterval);
            await Task.Delay(20);
        }
    }

    /// <summary>How many batches the writer shards hold in all.</summary>
    public static async Task<int> PendingBatches(this TracingClusterFixture fixture)
    {
        var total = 0;
        for (var shard = 0; shard < TracingClusterFixture.Shards; shard++)
        {
            total += (await fixture.Writer(shard).GetStatus()).PendingBatches;
        }
        return total;
    }

    public static async Task<List<string>> ArchivedKeys(this TracingClusterFixture fixture, string project)
    {
        var keys = new List<string>();
        await foreach (var key in fixture.Archive.Inner.ListAsync(project + "/"))
        {
            keys.Add(key);
        }
        return keys;
    }

    public static TraceEvent TraceCreate(string project, string id, long ts, string? name = null, string? userId = null) =>
        new(Guid.NewGuid().ToString("N"), ts, TraceEventTypes.TraceCreate)
        {
            Trace = new TraceRecord(id) { ProjectId = project, TimestampMs = ts, Name = name, UserId = userId },
        };

    public static TraceEvent GenerationCreate(string project, string id, string traceId, long ts, Func<ObservationRecord, ObservationRecord>? with = null)
    {
        var body = new ObservationRecord(id) { ProjectId = project, TraceId = traceId, StartTimeMs = ts, Name = "chat" };
        return new(Guid.NewGuid().ToString("N"), ts, TraceEventTypes.GenerationCreate) { Observation = with is null ? body : with(body) };
    }

    public static TraceEvent GenerationUpdate(string project, string id, long ts, Func<ObservationRecord, ObservationRecord> with) =>
        new(Guid.NewGuid().ToString("N"), ts, TraceEventTypes.GenerationUpdate)
        {
            Observation = with(new ObservationRecord(id) { ProjectId = project }),
        };

    public static async Task<long> CountTraces(this IAnalyticsStore store, string project) =>
        (await store.QueryTracesAsync(new TraceQuery(project, 1, 100))).TotalItems;

    public static async Task<long> CountObservations(this IAnalyticsStore store, string project) =>
        (await store.QueryObservationsAsync(new ObservationQuery(project, 1, 100))).TotalItems;
}
