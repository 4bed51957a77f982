using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HotDash.Bench.Ingest;

// Ingestion throughput of a running HotDash (bench/ingest.sh starts one and calls this):
//   1. public API: C clients POST Langfuse batches (trace-create + generation-create with usage) to the dashboard's
//      /api/public/ingestion; events accepted/s (201s in the 207), request p50/p99, and events stored/s until every
//      accepted event is a row in the store (ClickHouse counted directly, FINAL; DuckDB through the read API);
//   2. gateway: C clients send N chat completions to the mock model with the master key; requests/s, p50/p99, and
//      traces stored/s until every answered request's trace and generation is in the store.
// Each phase has a short warm-up first (JIT, connections), stored before the measured part starts, and is bounded by
// a count and a duration cap; waiting for the store is bounded by a timeout.
// Usage: HotDash.Bench.Ingest run --dashboard URL --gateway URL --public-key pk-lf-.. --secret-key sk-lf-..
//            --master-key sk-.. [--clickhouse URL --clickhouse-db DB] [--clients 4] [--events 100000]
//            [--batch-events 100] [--requests 5000] [--duration-cap 600] [--store-timeout 120] [--phases api,gateway]
//        HotDash.Bench.Ingest cleanup [--clickhouse URL --clickhouse-db DB] [--s3 URL --bucket B --access-key K]
//            (S3_SECRET_KEY from the environment)
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var command = args.Length > 0 ? args[0] : "";
    var options = new BenchArgs(args.Skip(1));
    return command switch
    {
        "run" => await RunAsync(options, stop.Token),
        "cleanup" => await Cleanup.RunAsync(options, stop.Token),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}
catch (TimeoutException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: interrupted");
    return 130;
}

static int Usage()
{
    Console.Error.WriteLine("usage: HotDash.Bench.Ingest run|cleanup --option value ... (see bench/README.md, bench/ingest.sh)");
    return 2;
}

static async Task<int> RunAsync(BenchArgs args, CancellationToken ct)
{
    var dashboard = args.Url("dashboard");
    var gateway = args.Url("gateway");
    var publicKey = args.Required("public-key");
    var secretKey = args.Required("secret-key");
    var masterKey = args.Required("master-key");
    var model = args.Optional("model") ?? "mock-chat";
    var project = args.Optional("project") ?? "default";
    var clients = args.Int("clients", 4, 1, 1024);
    var events = args.Int("events", 100_000, 2, 100_000_000);
    var batchEvents = args.Int("batch-events", 100, 2, 10_000);
    var requests = args.Int("requests", 5_000, 1, 100_000_000);
    var cap = args.Seconds("duration-cap", 600, 1, 86_400);
    var storeTimeout = args.Seconds("store-timeout", 120, 1, 3_600);
    var readyTimeout = args.Seconds("ready-timeout", 90, 1, 3_600);
    var warmupBatches = args.Int("warmup-batches", clients * 2, 0, 1_000_000);
    var warmupRequests = args.Int("warmup-requests", clients * 25, 0, 1_000_000);
    var phases = (args.Optional("phases") ?? "api,gateway").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var clickhouse = args.OptionalUrl("clickhouse");
    var clickhouseDb = args.Optional("clickhouse-db");
    var label = args.Optional("label") ?? "";
    args.RejectUnknown();
    if (batchEvents % 2 != 0 || events % 2 != 0)
    {
        throw new ArgumentException("--events and --batch-events must be even (each trace comes with one generation)");
    }
    if (phases.Except(["api", "gateway"]).FirstOrDefault() is { } unknownPhase)
    {
        throw new ArgumentException($"--phases takes api and/or gateway, not '{unknownPhase}'");
    }
    if (clickhouse is not null && clickhouseDb is null)
    {
        throw new ArgumentException("--clickhouse needs --clickhouse-db");
    }

    // One pool for the load, sized to the clients so no request waits for a connection; a separate one for counting.
    using var http = new HttpClient(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = clients + 2,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    }) { Timeout = TimeSpan.FromSeconds(60) };
    using var countHttp = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };
    var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{publicKey}:{secretKey}")));
    IStoreCounter counter = clickhouse is not null
        ? new ClickHouseCounter(countHttp, clickhouse, clickhouseDb!, project,
            Environment.GetEnvironmentVariable("CLICKHOUSE_USER"), Environment.GetEnvironmentVariable("CLICKHOUSE_PASSWORD"))
        : new PublicApiCounter(countHttp, dashboard, basic);
    var ingestion = new IngestionSender(http, dashboard, basic);
    var chat = new ChatSender(http, gateway, masterKey, model);

    Say($"stored rows are counted in {counter.Describe}");
    PhaseReport? api = null, gw = null;

    if (phases.Contains("api"))
    {
        await WaitUntilAsync("the project key opens the public API", readyTimeout, ingestion.ProbeAsync, ct);
        var batches = (events + batchEvents - 1) / batchEvents;
        int EventsOf(long n) => n < batches - 1 ? batchEvents : events - (batches - 1) * batchEvents;
        api = await PhaseAsync(
            $"public API: {events} events in {batches} batches of {batchEvents}, {clients} clients",
            RowNames.PublicApi, 1, 0,
            warmupBatches, _ => batchEvents, n => ingestion.SendAsync(batchEvents, -1 - n, ct),
            batches, EventsOf, n => ingestion.SendAsync(EventsOf(n), n, ct));
    }

    if (phases.Contains("gateway"))
    {
        var probes = await WaitUntilAsync($"the gateway answers a chat completion ({model})", readyTimeout, chat.ProbeAsync, ct);
        gw = await PhaseAsync(
            $"gateway: {requests} chat completions to {model}, {clients} clients",
            RowNames.Gateway, 2, probes * 2L,
            warmupRequests, _ => 1, _ => chat.SendAsync(ct),
            requests, _ => 1, _ => chat.SendAsync(ct));
    }

    Console.WriteLine();
    Console.WriteLine(Figures.Render($"== HotDash ingestion throughput{(label.Length > 0 ? $" ({label})" : "")}; {Environment.ProcessorCount} CPUs", api, gw));
    var ok = (api?.Store.Reached ?? true) && (gw?.Store.Reached ?? true);
    return ok ? 0 : 1;

    // Warm-up (sent, then stored), then the measured part; the phase's rows are told apart from the warm-up's by count.
    // perUnitRows: rows one accepted unit becomes (an event is one row; a chat request a trace and a generation).
    async Task<PhaseReport> PhaseAsync(
        string title, RowNames names, int perUnitRows, long earlierRows,
        int warmups, Func<long, int> warmupUnits, Func<long, Task<SendOutcome>> warmup,
        long count, Func<long, int> unitsOf, Func<long, Task<SendOutcome>> send)
    {
        if (warmups > 0)
        {
            Say($"{title}: warm-up, {warmups} requests");
            var w = await LoadLoop.RunAsync(clients, warmups, warmupUnits, cap, (n, _) => warmup(n), ct);
            var warmClock = Stopwatch.StartNew();
            var warmStored = await StoreWaiter.WaitAsync(counter, names, earlierRows + w.Accepted * perUnitRows, warmClock, storeTimeout, ct);
            if (!warmStored.Reached)
            {
                Say($"{title}: the warm-up's rows did not all arrive ({warmStored.Last}, expected {earlierRows + w.Accepted * perUnitRows}); measuring anyway");
            }
        }
        var baseline = await counter.CountAsync(names, ct);
        Say($"{title}: measuring (baseline {baseline})");
        var clock = Stopwatch.StartNew();
        var load = await LoadLoop.RunAsync(clients, count, unitsOf, cap, (n, _) => send(n), ct);
        Say($"{title}: sent {load.Requests} requests in {load.Elapsed.TotalSeconds:0.00} s, {load.Accepted} accepted, {load.Failed} failed; waiting for the store");
        var target = baseline.Total + load.Accepted * perUnitRows;
        var stored = await StoreWaiter.WaitAsync(counter, names, target, clock, storeTimeout, ct);
        Say($"{title}: {(stored.Reached ? "all stored" : "NOT all stored")} after {stored.Elapsed.TotalSeconds:0.00} s ({stored.Last})");
        return new PhaseReport(load, baseline, target, stored);
    }
}

// Retries probe until it answers null (success) or the timeout passes; returns how many probes succeeded (1).
static async Task<int> WaitUntilAsync(string what, TimeSpan timeout, Func<CancellationToken, Task<string?>> probe, CancellationToken ct)
{
    var clock = Stopwatch.StartNew();
    string? last = null;
    while (clock.Elapsed < timeout)
    {
        try
        {
            last = await probe(ct);
            if (last is null)
            {
                Say($"ready: {what} ({clock.Elapsed.TotalSeconds:0.0} s)");
                return 1;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            last = e.Message;
        }
        await Task.Delay(250, ct);
    }
    throw new TimeoutException($"not ready within {timeout.TotalSeconds:0} s: {what}; last answer: {last}");
}

static void Say(string message) => Console.Error.WriteLine($"bench: {message}");
