using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>
/// The silo and the gateway with <c>DATABASE_URL</c> (LiteLLM's setting): the silo migrates the registry schema before
/// it reports ready, readiness probes the database, and a database it cannot use stops the start in one line.
/// </summary>
public sealed class SiloPostgresTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<HostProcess> _hosts = [];
    // Localhost clustering: silos on their own ports are clusters of their own, whatever the id.
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";
    private TestDatabase? _db;

    [Fact]
    public async Task Readiness_DatabaseUrl_ReportsDbConnectedAfterMigratingTheSchema()
    {
        if (_db is null)
        {
            return;
        }
        var silo = StartSilo(_db.Url, "silo_registry");

        var report = await silo.WaitUntilReadyAsync(StartTimeout);

        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal("connected", report.GetProperty("db").GetString());
        Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM silo_registry.schema_migrations WHERE version = 1"));
        Assert.Equal(10, await _db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'silo_registry'"));
        Assert.Contains($"registry: PostgreSQL at {_db.Host}:{_db.Port}/{_db.Name} (from DATABASE_URL), schema silo_registry", silo.StandardOutput);
        Assert.Contains("registry: applied migration 1 (registry) to schema silo_registry", silo.StandardOutput);
    }

    [Fact]
    public async Task Startup_TwoSilosOnOneDatabase_BothGetReadyAndTheSchemaIsMigratedOnce()
    {
        if (_db is null)
        {
            return;
        }
        var first = StartSilo(_db.Url);
        var second = StartSilo(_db.Url);

        var reports = await Task.WhenAll(first.WaitUntilReadyAsync(StartTimeout), second.WaitUntilReadyAsync(StartTimeout));
        var applied = new[] { first, second }.Count(s => s.StandardOutput.Contains("registry: applied migration 1", StringComparison.Ordinal));

        Assert.All(reports, r => Assert.Equal("connected", r.GetProperty("db").GetString()));
        Assert.Equal(1, applied);
        Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM hotdash.schema_migrations WHERE version = 1"));
    }

    [Fact]
    public async Task Startup_DatabaseUnreachable_ExitsWithCode1NamingTheHostButNotThePassword()
    {
        var deadPort = FreePorts.Next();

        var silo = StartSilo($"postgresql://llmproxy:s3cretpw@127.0.0.1:{deadPort}/litellm");
        var exitCode = await silo.WaitForExitAsync(StartTimeout);

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{silo.Describe()}");
        Assert.Contains($"hotdash silo: could not start: PostgreSQL at 127.0.0.1:{deadPort}/litellm (from DATABASE_URL) is unreachable", silo.StandardError);
        Assert.Single(silo.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("s3cretpw", silo.StandardError + silo.StandardOutput);
    }

    [Fact]
    public async Task Startup_DatabaseThatDoesNotExist_ExitsWithCode1WithTheServersAnswer()
    {
        if (_db is null)
        {
            return;
        }
        var silo = StartSilo($"postgresql://postgres@{_db.Host}:{_db.Port}/no_such_database");
        var exitCode = await silo.WaitForExitAsync(StartTimeout);

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{silo.Describe()}");
        Assert.Contains($"PostgreSQL at {_db.Host}:{_db.Port}/no_such_database (from DATABASE_URL) refused the registry schema: database \"no_such_database\" does not exist (3D000)", silo.StandardError);
    }

    [Fact]
    public async Task Startup_MalformedDatabaseUrl_ExitsWithCode2NamingTheSetting()
    {
        var silo = StartSilo("postgresql://llmproxy:s3cretpw@db.internal:99999/litellm");
        var exitCode = await silo.WaitForExitAsync(StartTimeout);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{silo.Describe()}");
        Assert.Contains("DATABASE_URL: the port must be a whole number from 1 to 65535", silo.StandardError);
        Assert.DoesNotContain("s3cretpw", silo.StandardError + silo.StandardOutput);
    }

    [Fact]
    public async Task GatewayReadiness_DatabaseUrl_ReportsDbConnected()
    {
        if (_db is null)
        {
            return;
        }
        var silo = StartSilo(_db.Url);
        await silo.WaitUntilReadyAsync(StartTimeout);
        var gateway = StartGateway(silo, _db.Url);

        var report = await gateway.WaitUntilReadyAsync(StartTimeout);

        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal("connected", report.GetProperty("db").GetString());
    }

    [Fact]
    public async Task GatewayReadiness_DatabaseUnreachable_Is503WithDbUnreachable()
    {
        // The silo runs on embedded defaults; only the gateway is told of a database, one that is down.
        var silo = StartSilo(null);
        await silo.WaitUntilReadyAsync(StartTimeout);
        var gateway = StartGateway(silo, $"postgresql://u:pw@127.0.0.1:{FreePorts.Next()}/litellm");

        var (status, report) = await WaitForClusterAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", report.GetProperty("status").GetString());
        Assert.Equal("unreachable", report.GetProperty("db").GetString());
    }

    public async Task InitializeAsync() => _db = await TestPostgres.CreateDatabaseAsync(output);

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            output.WriteLine(host.Describe());
            host.Dispose();
        }
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    private HostProcess StartSilo(string? databaseUrl, string? schema = null)
    {
        var env = new Dictionary<string, string>();
        if (databaseUrl is not null)
        {
            env["DATABASE_URL"] = databaseUrl;
        }
        if (schema is not null)
        {
            env["HOTDASH_DB_SCHEMA"] = schema;
        }
        var silo = HostProcess.StartSilo(HostPorts.Free(), _clusterId, env);
        _hosts.Add(silo);
        return silo;
    }

    private HostProcess StartGateway(HostProcess silo, string databaseUrl)
    {
        var gateway = HostProcess.StartGateway(FreePorts.Next(), silo.Ports.Gateway, _clusterId, new Dictionary<string, string> { ["DATABASE_URL"] = databaseUrl });
        _hosts.Add(gateway);
        return gateway;
    }

    // Readiness once the gateway has joined the cluster, whatever it then says of the database.
    private static async Task<(HttpStatusCode, JsonElement)> WaitForClusterAsync(HostProcess gateway)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await gateway.Http.GetAsync("/health/readiness");
                var body = await response.Content.ReadAsStringAsync();
                last = $"{(int)response.StatusCode} {body}";
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.GetProperty("cluster").GetProperty("status").GetString() == "connected")
                {
                    return (response.StatusCode, json.RootElement.Clone());
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"the gateway never joined the cluster (last readiness: {last})\n{gateway.Describe()}");
        return default;
    }
}
