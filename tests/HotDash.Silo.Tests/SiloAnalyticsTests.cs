using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>
/// The built silo with its trace stores: ClickHouse and S3 (the real dev servers) or, with nothing configured, the
/// embedded DuckDB file and archive folder under <c>HOTDASH_DATA_DIR</c>. The silo migrates the store and creates the
/// bucket or folder before it reports ready, readiness names both, <c>/metrics</c> answers in the Prometheus format, a
/// configured store that does not answer makes readiness 503 without stopping the silo, and retention drops old months.
/// </summary>
public sealed class SiloAnalyticsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // One bucket for every run: the silo only creates it (no traces are written here), so nothing piles up in the store.
    private const string Bucket = "hotdash-silo-tests";

    private readonly List<HostProcess> _hosts = [];
    private readonly List<string> _databases = [];
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "hotdash-silo-analytics-" + Guid.NewGuid().ToString("n")[..12]);
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task Readiness_ClickHouseAndS3Configured_ReportsBothConnectedAfterMigrating()
    {
        if (TestClickHouse.Endpoint(output) is not { } clickhouse || TestS3.Endpoint(output) is not { } s3)
        {
            return;
        }
        var database = NewDatabase();

        var silo = Start(StoreEnvironment(clickhouse, s3, database));
        var report = await silo.WaitUntilReadyAsync(StartTimeout);

        var analytics = report.GetProperty("analytics");
        var archive = report.GetProperty("archive");
        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal(("clickhouse", "connected", $"{clickhouse.Host}:{clickhouse.Port}/{database}"),
            (analytics.GetProperty("store").GetString(), analytics.GetProperty("status").GetString(), analytics.GetProperty("endpoint").GetString()));
        Assert.Equal(("s3", "connected", $"{s3.Host}:{s3.Port}/{Bucket}"),
            (archive.GetProperty("store").GetString(), archive.GetProperty("status").GetString(), archive.GetProperty("endpoint").GetString()));
        var tables = await ClickHouseAsync(clickhouse, $"SELECT name FROM system.tables WHERE database = '{database}' ORDER BY name FORMAT TabSeparated");
        Assert.Contains("observations", tables.Split('\n'));
        Assert.Contains("scores", tables.Split('\n'));
        Assert.Contains("traces", tables.Split('\n'));
        Assert.Contains($"analytics: ClickHouse at {clickhouse.Host}:{clickhouse.Port}/{database}", silo.StandardOutput);
        Assert.Contains($"archive: S3 at {s3.Host}:{s3.Port}/{Bucket}", silo.StandardOutput);
        Assert.DoesNotContain(TestS3.SecretKey, silo.StandardOutput + silo.StandardError);
    }

    [Fact]
    public async Task Metrics_ClickHouseConfigured_AnswersPrometheusTextWithEveryWriterShard()
    {
        if (TestClickHouse.Endpoint(output) is not { } clickhouse || TestS3.Endpoint(output) is not { } s3)
        {
            return;
        }
        var env = StoreEnvironment(clickhouse, s3, NewDatabase());
        env["HOTDASH_TRACING_SHARDS"] = "3";
        var silo = Start(env);
        await silo.WaitUntilReadyAsync(StartTimeout);

        using var response = await silo.Http.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE hotdash_trace_writer_pending_batches gauge", lines);
        Assert.Contains("# TYPE hotdash_trace_writer_retries_total counter", lines);
        Assert.Contains("# TYPE hotdash_trace_writer_events_written_total counter", lines);
        for (var shard = 0; shard < 3; shard++)
        {
            Assert.Contains($"hotdash_trace_writer_pending_batches{{shard=\"{shard}\"}} 0", lines);
            Assert.Contains($"hotdash_trace_writer_retries_total{{shard=\"{shard}\"}} 0", lines);
            Assert.Contains($"hotdash_trace_writer_events_written_total{{shard=\"{shard}\"}} 0", lines);
        }
        Assert.DoesNotContain(lines, l => l.StartsWith("hotdash_trace_writer_pending_batches{shard=\"3\"}", StringComparison.Ordinal));
        Assert.Contains("hotdash_analytics_store_info{kind=\"clickhouse\"} 1", lines);
        Assert.Contains("hotdash_archive_info{kind=\"s3\"} 1", lines);
        // Every sample line is "name{labels} value" or "name value" with a number.
        Assert.All(lines.Where(l => !l.StartsWith('#')), l => Assert.True(
            double.TryParse(l[(l.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out _), l));
    }

    [Fact]
    public async Task Readiness_NothingConfigured_UsesDuckDbAndTheArchiveFolderUnderTheDataDir()
    {
        var silo = Start(new Dictionary<string, string> { ["HOTDASH_DATA_DIR"] = _dataDir });

        var report = await silo.WaitUntilReadyAsync(StartTimeout);
        using var metrics = await silo.Http.GetAsync("/metrics");
        var body = await metrics.Content.ReadAsStringAsync();

        var analytics = report.GetProperty("analytics");
        var archive = report.GetProperty("archive");
        var duckdb = Path.Combine(_dataDir, "analytics.duckdb");
        var folder = Path.Combine(_dataDir, "archive");
        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal(("duckdb", "connected", duckdb),
            (analytics.GetProperty("store").GetString(), analytics.GetProperty("status").GetString(), analytics.GetProperty("endpoint").GetString()));
        Assert.Equal(("folder", "connected", folder),
            (archive.GetProperty("store").GetString(), archive.GetProperty("status").GetString(), archive.GetProperty("endpoint").GetString()));
        Assert.True(File.Exists(duckdb), $"{duckdb} was not created");
        Assert.True(Directory.Exists(folder), $"{folder} was not created");
        Assert.Contains($"analytics: DuckDB (embedded) at {duckdb}", silo.StandardOutput);
        Assert.Contains($"archive: folder (embedded) at {folder}", silo.StandardOutput);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("hotdash_analytics_store_info{kind=\"duckdb\"} 1", body);
        Assert.Contains("hotdash_archive_info{kind=\"folder\"} 1", body);
        // The embedded store takes one write at a time: one writer shard.
        Assert.Contains("hotdash_trace_writer_pending_batches{shard=\"0\"} 0", body);
        Assert.DoesNotContain("shard=\"1\"", body);
    }

    [Fact]
    public async Task Readiness_ConfiguredClickHouseDown_Is503UntilItAnswersThenHealthy()
    {
        if (!ClickHouseServerProcess.Installed)
        {
            Prerequisite.Missing(output, $"{ClickHouseServerProcess.Binary} is not installed: this test starts and stops a ClickHouse of its own");
            return;
        }
        await using var server = await ClickHouseServerProcess.StartNewAsync(StartTimeout);
        server.Stop();
        var silo = Start(new Dictionary<string, string>
        {
            ["CLICKHOUSE_URL"] = server.Endpoint.ToString(),
            ["HOTDASH_DATA_DIR"] = _dataDir,
        });
        await silo.WaitUntilAliveAsync(StartTimeout);

        var (status, report) = await ReadinessAsync(silo);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", report.GetProperty("status").GetString());
        Assert.Equal("unreachable", report.GetProperty("analytics").GetProperty("status").GetString());
        Assert.Equal("connected", report.GetProperty("archive").GetProperty("status").GetString());
        Assert.Contains($"analytics: ClickHouse at 127.0.0.1:{server.HttpPort}/default is unreachable", silo.StandardOutput);

        await server.StartAsync(StartTimeout);
        report = await silo.WaitUntilReadyAsync(StartTimeout);

        Assert.Equal("connected", report.GetProperty("analytics").GetProperty("status").GetString());
        Assert.Contains($"analytics: ClickHouse at 127.0.0.1:{server.HttpPort}/default ready (schema migrated)", silo.StandardOutput);
    }

    [Fact]
    public async Task Startup_MalformedClickHouseUrl_ExitsWithCode2NamingTheSetting()
    {
        var silo = Start(new Dictionary<string, string> { ["CLICKHOUSE_URL"] = "clickhouse:8123" });

        var exitCode = await silo.WaitForExitAsync(StartTimeout);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{silo.Describe()}");
        Assert.Contains("CLICKHOUSE_URL", silo.StandardError);
    }

    [Fact]
    public async Task Retention_RetentionDaysSet_DropsMonthsOlderThanTheRetentionAtStart()
    {
        if (TestClickHouse.Endpoint(output) is not { } clickhouse || TestS3.Endpoint(output) is not { } s3)
        {
            return;
        }
        var database = NewDatabase();
        var env = StoreEnvironment(clickhouse, s3, database);
        // A first silo migrates the schema; the rows are written while no silo runs.
        var first = Start(env);
        await first.WaitUntilReadyAsync(StartTimeout);
        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync(StartTimeout));
        var today = DateTime.UtcNow;
        var old = today.AddDays(-400);
        await ClickHouseAsync(clickhouse, $"INSERT INTO {database}.traces (id, project_id, timestamp, day, event_ts) VALUES " +
            $"('old', 'p', {Ms(old)}, '{old:yyyy-MM-dd}', 1), ('new', 'p', {Ms(today)}, '{today:yyyy-MM-dd}', 1)");

        env["HOTDASH_RETENTION_DAYS"] = "30";
        var second = Start(env);
        await second.WaitUntilReadyAsync(StartTimeout);
        var remaining = await WaitForAsync(async () =>
        {
            var ids = await ClickHouseAsync(clickhouse, $"SELECT id FROM {database}.traces ORDER BY id FORMAT TabSeparated");
            return ids.Trim() == "new" ? ids.Trim() : null;
        });

        Assert.Equal("new", remaining);
        Assert.Contains($"retention: keeping 30 days of traces; dropped months {old:yyyyMM}", second.StandardOutput);
    }

    [Fact]
    public async Task Sigterm_ClickHouseAndS3Configured_StopsGracefullyWithExitCodeZero()
    {
        if (TestClickHouse.Endpoint(output) is not { } clickhouse || TestS3.Endpoint(output) is not { } s3)
        {
            return;
        }
        var silo = Start(StoreEnvironment(clickhouse, s3, NewDatabase()));
        await silo.WaitUntilReadyAsync(StartTimeout);

        silo.Terminate();
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(50));

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{silo.Describe()}");
        Assert.Contains("stopped", silo.StandardOutput);
    }

    [Fact]
    public async Task Traces_GatewayTraffic_ReachClickHouseShowInMetricsAndTheSiloStillStopsCleanly()
    {
        if (TestClickHouse.Endpoint(output) is not { } clickhouse || TestS3.Endpoint(output) is not { } s3)
        {
            return;
        }
        var database = NewDatabase();
        var silo = Start(StoreEnvironment(clickhouse, s3, database));
        await silo.WaitUntilReadyAsync(StartTimeout);
        var gateway = HostProcess.StartGateway(FreePorts.Next(), silo.Ports.Gateway, _clusterId);
        _hosts.Add(gateway);
        await gateway.WaitUntilReadyAsync(StartTimeout);

        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.Http.PostAsync("/v1/chat/completions", new StringContent(
                $$"""{"model":"mock-chat","messages":[{"role":"user","content":"trace me {{i}}"}]}""", Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var stored = await WaitForAsync(async () =>
        {
            var count = (await ClickHouseAsync(clickhouse, $"SELECT count() FROM {database}.traces FINAL FORMAT TabSeparated")).Trim();
            return count == "5" ? count : null;
        });
        var written = await WaitForAsync(async () =>
        {
            var body = await silo.Http.GetStringAsync("/metrics");
            var total = body.Split('\n').Where(l => l.StartsWith("hotdash_trace_writer_events_written_total{", StringComparison.Ordinal))
                .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            return total >= 5 ? (object)total : null;
        });

        gateway.Terminate();
        Assert.Equal(0, await gateway.WaitForExitAsync(StartTimeout));
        silo.Terminate();
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(50));

        Assert.Equal("5", stored);
        Assert.True((long)written >= 5);
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{silo.Describe()}");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            output.WriteLine(host.Describe());
            host.Dispose();
        }
        if (Environment.GetEnvironmentVariable(TestClickHouse.Variable) is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var clickhouse))
        {
            foreach (var database in _databases)
            {
                await ClickHouseAsync(clickhouse, $"DROP DATABASE IF EXISTS {database}");
            }
        }
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        _http.Dispose();
    }

    private Dictionary<string, string> StoreEnvironment(Uri clickhouse, Uri s3, string database) => new()
    {
        ["CLICKHOUSE_URL"] = clickhouse.ToString(),
        ["CLICKHOUSE_DB"] = database,
        ["S3_ENDPOINT"] = s3.ToString(),
        ["S3_BUCKET"] = Bucket,
        ["S3_ACCESS_KEY"] = TestS3.AccessKey,
        ["S3_SECRET_KEY"] = TestS3.SecretKey,
        ["S3_REGION"] = TestS3.Region,
    };

    private string NewDatabase()
    {
        var name = $"silo_{Guid.NewGuid():N}"[..20];
        _databases.Add(name);
        return name;
    }

    private HostProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var silo = HostProcess.StartSilo(HostPorts.Free(), _clusterId, environment);
        _hosts.Add(silo);
        return silo;
    }

    private async Task<string> ClickHouseAsync(Uri endpoint, string sql)
    {
        using var response = await _http.PostAsync(endpoint, new StringContent(sql, Encoding.UTF8, "text/plain"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"ClickHouse refused {sql}: {body}");
        return body;
    }

    private static long Ms(DateTime at) => new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static async Task<(HttpStatusCode, JsonElement)> ReadinessAsync(HostProcess silo)
    {
        using var response = await silo.Http.GetAsync("/health/readiness");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(250);
        }
        Assert.Fail("the condition did not hold in time");
        return null!;
    }
}
