using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Minio;
using Minio.DataModel.Args;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>
/// One test's HotDash deployment as real processes: a silo (Redis clustering and grain storage, PostgreSQL registry, the
/// private ClickHouse as analytics store on a fresh database, the real S3 store on a fresh bucket, the Langfuse headless
/// init keys), a gateway and a dashboard, each the built dll. Disposing stops them and drops the bucket, the databases
/// and the config folder.
/// </summary>
public sealed class TracingCluster : IAsyncDisposable
{
    /// <summary>The gateway's master key.</summary>
    public const string MasterKey = "sk-tracing-master";

    /// <summary>The project gateway traces go to and the init keys open.</summary>
    public const string ProjectId = "default";

    /// <summary>Where the silo archives a project's batches (the default prefix).</summary>
    public const string ArchivePrefix = "events/" + ProjectId + "/";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;
    private readonly TracingClickHouse _clickHouse;
    private readonly TestDatabase _db;
    private readonly Uri _s3;
    private readonly IMinioClient _minio;
    private readonly List<HostProcess> _hosts = [];
    private readonly string _directory;
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";
    // Its own service id: writer shards' pending lists are grain state in the shared Redis, keyed by service.
    private readonly string _serviceId = $"tracing-{Guid.NewGuid():N}";

    private TracingCluster(ITestOutputHelper output, TracingClickHouse clickHouse, string redis, TestDatabase db, Uri s3)
    {
        _output = output;
        _clickHouse = clickHouse;
        _db = db;
        _s3 = s3;
        Redis = redis;
        Database = $"tr_{Guid.NewGuid():N}"[..20];
        Bucket = $"hotdash-tracing-{Guid.NewGuid():N}"[..40];
        PublicKey = "pk-lf-" + Guid.NewGuid().ToString("N");
        SecretKey = "sk-lf-" + Guid.NewGuid().ToString("N");
        _directory = Path.Combine(Path.GetTempPath(), "hotdash-tracing-cluster-" + Guid.NewGuid().ToString("n")[..12]);
        _minio = new MinioClient().WithEndpoint(s3.Host, s3.Port).WithCredentials(TestS3.AccessKey, TestS3.SecretKey)
            .WithSSL(false).WithRegion(TestS3.Region).Build();
    }

    public string Redis { get; }

    /// <summary>The ClickHouse database the silo stores traces in (created by the silo).</summary>
    public string Database { get; }

    /// <summary>The test's own bucket (created by the silo).</summary>
    public string Bucket { get; }

    /// <summary>The Langfuse key pair the silo's headless init provisions.</summary>
    public string PublicKey { get; }

    public string SecretKey { get; }

    public HostProcess Silo { get; private set; } = null!;

    public HostProcess Gateway { get; private set; } = null!;

    public HostProcess Dashboard { get; private set; } = null!;

    // The public API's own client: an ingestion call waits until its events are archived and handed to the writers,
    // which can take seconds while the writers replay a backlog; HostProcess.Http gives up after 15 s.
    private HttpClient PublicApi { get; set; } = null!;

    /// <summary>The servers every test needs, or null (after the prerequisite rule) when one is missing.</summary>
    public static async Task<TracingCluster?> CreateAsync(ITestOutputHelper output, TracingClickHouse clickHouse)
    {
        if (clickHouse.Server is null)
        {
            Prerequisite.Missing(output, $"{ClickHouseServerProcess.Binary} is not installed: these tests start and stop a ClickHouse of their own");
            return null;
        }
        if (TestRedis.Address(output) is not { } redis || TestS3.Endpoint(output) is not { } s3)
        {
            return null;
        }
        var db = await TestPostgres.CreateDatabaseAsync(output);
        if (db is null)
        {
            return null;
        }
        var cluster = new TracingCluster(output, clickHouse, redis, db, s3);
        Directory.CreateDirectory(cluster._directory);
        // A priced mock with a little latency, so a generation's latency is never 0 ms.
        await File.WriteAllTextAsync(Path.Combine(cluster._directory, "config.yaml"), """
            model_list:
              - model_name: priced-mock
                litellm_params: { model: mock/priced, mock_latency_ms: 15 }
                model_info: { id: priced-mock-1, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 }
            """);
        return cluster;
    }

    /// <summary>Starts the silo, then the gateway and the dashboard, and waits until the init keys open the public API.</summary>
    public async Task StartAsync()
    {
        Silo = Track(HostProcess.StartSilo(HostPorts.Free(), _clusterId, Environment()));
        await Silo.WaitUntilReadyAsync(StartTimeout);
        var apiPort = FreePorts.Next();
        Gateway = Track(HostProcess.StartGateway(apiPort, 0, _clusterId, Environment()));
        Dashboard = Track(HostProcess.StartDashboard(FreePorts.Next(), 0, apiPort, _clusterId, Environment()));
        PublicApi = new HttpClient { BaseAddress = Dashboard.BaseAddress, Timeout = TimeSpan.FromSeconds(45) };
        await Task.WhenAll(Gateway.WaitUntilReadyAsync(StartTimeout), Dashboard.WaitUntilReadyAsync(StartTimeout));
        // The headless init runs once the silo has started, in the background.
        await WaitUntilAsync(async () =>
        {
            using var response = await PublicGetAsync("/api/public/projects");
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "the LANGFUSE_INIT keys to open the public API");
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["REDIS_URL"] = TestRedis.Url(Redis),
        ["DATABASE_URL"] = _db.Url,
        ["LITELLM_MASTER_KEY"] = MasterKey,
        ["HOTDASH_CONFIG"] = Path.Combine(_directory, "config.yaml"),
        ["HOTDASH_SERVICE_ID"] = _serviceId,
        ["CLICKHOUSE_URL"] = _clickHouse.Server!.Endpoint.ToString(),
        ["CLICKHOUSE_DB"] = Database,
        ["S3_ENDPOINT"] = _s3.ToString(),
        ["S3_BUCKET"] = Bucket,
        ["S3_ACCESS_KEY"] = TestS3.AccessKey,
        ["S3_SECRET_KEY"] = TestS3.SecretKey,
        ["S3_REGION"] = TestS3.Region,
        ["LANGFUSE_INIT_PROJECT_ID"] = ProjectId,
        ["LANGFUSE_INIT_PROJECT_PUBLIC_KEY"] = PublicKey,
        ["LANGFUSE_INIT_PROJECT_SECRET_KEY"] = SecretKey,
    };

    private HostProcess Track(HostProcess host)
    {
        _hosts.Add(host);
        return host;
    }

    /// <summary>A management call with the master key; fails the test unless it succeeds.</summary>
    public async Task<JsonElement> ManageAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", MasterKey);
        using var response = await Gateway.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A chat completion through the gateway with <paramref name="apiKey"/>.</summary>
    public async Task<HttpResponseMessage> ChatAsync(string apiKey, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", apiKey);
        return await Gateway.Http.SendAsync(request);
    }

    private AuthenticationHeaderValue Basic() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PublicKey}:{SecretKey}")));

    /// <summary>A GET on the dashboard's public API with the init key pair.</summary>
    public async Task<HttpResponseMessage> PublicGetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = Basic();
        return await PublicApi.SendAsync(request);
    }

    /// <summary>A POST on the dashboard's public API with the init key pair.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PublicPostAsync(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = Basic();
        using var response = await PublicApi.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <c>GET /api/public/traces/{id}</c> until it is found (and, if given, <paramref name="complete"/> holds).</summary>
    public async Task<JsonElement> WaitForTraceAsync(string traceId, TimeSpan timeout, Func<JsonElement, bool>? complete = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (true)
        {
            using (var response = await PublicGetAsync($"/api/public/traces/{Uri.EscapeDataString(traceId)}"))
            {
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var trace = JsonDocument.Parse(last[4..]).RootElement.Clone();
                    if (complete is null || complete(trace))
                    {
                        return trace;
                    }
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"trace {traceId} not readable within {timeout.TotalSeconds} s; last answer: {last}\n{Describe()}");
            await Task.Delay(200);
        }
    }

    /// <summary>The silo's <c>/metrics</c> samples named <paramref name="metric"/> (any labels), summed and per line.</summary>
    public async Task<(double Sum, string[] Lines)> MetricAsync(string metric)
    {
        var body = await Silo.Http.GetStringAsync("/metrics");
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .ToArray();
        var sum = lines.Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
        return (sum, lines);
    }

    /// <summary>Every archived object under the project's prefix: key and gunzipped text.</summary>
    public async Task<List<(string Key, string Text)>> ArchivedObjectsAsync()
    {
        var keys = new List<string>();
        await foreach (var item in _minio.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(Bucket).WithPrefix(ArchivePrefix).WithRecursive(true)))
        {
            if (!item.IsDir)
            {
                keys.Add(item.Key);
            }
        }
        var objects = new List<(string, string)>();
        foreach (var key in keys)
        {
            using var content = new MemoryStream();
            await _minio.GetObjectAsync(new GetObjectArgs().WithBucket(Bucket).WithObject(key)
                .WithCallbackStream(async (stream, ct) => await stream.CopyToAsync(content, ct)));
            content.Position = 0;
            var text = "";
            if (key.EndsWith(".ndjson.gz", StringComparison.Ordinal))
            {
                await using var gzip = new GZipStream(content, CompressionMode.Decompress);
                using var reader = new StreamReader(gzip, Encoding.UTF8);
                text = await reader.ReadToEndAsync();
            }
            objects.Add((key, text));
        }
        return objects;
    }

    public string Describe() => string.Join("\n", _hosts.Select(h => h.Describe()));

    /// <summary>Polls until <paramref name="condition"/> holds; false when the time ran out first.</summary>
    public static async Task<bool> TryWaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(200);
        }
        return true;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            _output.WriteLine(host.Describe());
            host.Dispose();
        }
        PublicApi?.Dispose();
        await DropBucketAsync();
        if (_clickHouse.Server is not null)
        {
            try
            {
                await _clickHouse.QueryAsync($"DROP DATABASE IF EXISTS {Database}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The server is down after a failed test; it is deleted with the class.
            }
        }
        await _db.DisposeAsync();
        _minio.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    // Every test writes to a bucket of its own; nothing is left behind in the shared store.
    private async Task DropBucketAsync()
    {
        try
        {
            if (!await _minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(Bucket)))
            {
                return;
            }
            var keys = new List<string>();
            await foreach (var item in _minio.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(Bucket).WithRecursive(true)))
            {
                keys.Add(item.Key);
            }
            foreach (var key in keys)
            {
                await _minio.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(Bucket).WithObject(key));
            }
            await _minio.RemoveBucketAsync(new RemoveBucketArgs().WithBucket(Bucket));
        }
        catch (Exception e)
        {
            _output.WriteLine($"could not drop bucket {Bucket}: {e.Message}");
        }
    }
}
