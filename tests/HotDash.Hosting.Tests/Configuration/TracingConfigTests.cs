using HotDash.Hosting.Configuration;

namespace HotDash.Hosting.Tests.Configuration;

public sealed class TracingConfigTests
{
    private static HotDashConfig Load(string yaml, IDictionary<string, string>? env = null) =>
        HotDashConfigLoader.FromYaml(yaml, null, name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    private static ConfigException Fails(string yaml, IDictionary<string, string>? env = null) =>
        Assert.Throws<ConfigException>(() => Load(yaml, env));

    [Fact]
    public void Load_NothingConfigured_UsesEmbeddedStoresUnderDataDir()
    {
        var hotdash = Load("").HotDash;

        var dataDir = Path.Combine(Directory.GetCurrentDirectory(), ".hotdash");
        Assert.Equal(dataDir, hotdash.DataDir);
        Assert.True(hotdash.Tracing.Enabled);
        Assert.Equal(("default", 100_000, 1_000, TimeSpan.FromSeconds(1), 4),
            (hotdash.Tracing.ProjectId, hotdash.Tracing.BufferCapacity, hotdash.Tracing.BatchSize, hotdash.Tracing.FlushInterval, hotdash.Tracing.Shards));
        Assert.Null(hotdash.Analytics.ClickHouseUrl);
        Assert.Equal("default", hotdash.Analytics.ClickHouseDatabase);
        Assert.Null(hotdash.Analytics.RetentionDays);
        Assert.Equal(Path.Combine(dataDir, "analytics.duckdb"), hotdash.Analytics.DuckDbPath);
        Assert.Null(hotdash.Archive.S3Endpoint);
        Assert.Equal(("hotdash-events", "us-east-1", "events/"), (hotdash.Archive.Bucket, hotdash.Archive.Region, hotdash.Archive.Prefix));
        Assert.Equal(Path.Combine(dataDir, "archive"), hotdash.Archive.Folder);
        Assert.False(Load("").LiteLlmSettings.TurnOffMessageLogging);
    }

    [Fact]
    public void Load_FileValues_AreRead()
    {
        var config = Load("""
            litellm_settings:
              turn_off_message_logging: true
            hotdash:
              data_dir: /var/lib/hotdash
              tracing:
                enabled: false
                project_id: prod-gateway
                buffer_capacity: 5000
                batch_size: 250
                flush_interval_ms: 200
                shards: 8
              analytics:
                clickhouse_url: http://clickhouse.internal:8123
                clickhouse_user: writer
                clickhouse_password: ch-secret
                clickhouse_database: langfuse
                retention_days: 30
              archive:
                s3_endpoint: https://minio.internal:9000
                bucket: traces.prod
                access_key: AKIA
                secret_key: s3-secret
                region: eu-west-1
                prefix: raw/
            """);
        var h = config.HotDash;

        Assert.True(config.LiteLlmSettings.TurnOffMessageLogging);
        Assert.Equal("/var/lib/hotdash", h.DataDir);
        Assert.False(h.Tracing.Enabled);
        Assert.Equal(("prod-gateway", 5000, 250, TimeSpan.FromMilliseconds(200), 8),
            (h.Tracing.ProjectId, h.Tracing.BufferCapacity, h.Tracing.BatchSize, h.Tracing.FlushInterval, h.Tracing.Shards));
        Assert.Equal("http://clickhouse.internal:8123/", h.Analytics.ClickHouseUrl);
        Assert.Equal(("writer", "ch-secret", "langfuse", 30), (h.Analytics.ClickHouseUser, h.Analytics.ClickHousePassword, h.Analytics.ClickHouseDatabase, h.Analytics.RetentionDays));
        Assert.Equal("/var/lib/hotdash/analytics.duckdb", h.Analytics.DuckDbPath);
        Assert.Equal("https://minio.internal:9000", h.Archive.S3Endpoint);
        Assert.Equal(("traces.prod", "AKIA", "s3-secret", "eu-west-1", "raw/"), (h.Archive.Bucket, h.Archive.AccessKey, h.Archive.SecretKey, h.Archive.Region, h.Archive.Prefix));
        Assert.Equal("/var/lib/hotdash/archive", h.Archive.Folder);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Load_Environment_WinsOverTheFile()
    {
        var h = Load("""
            hotdash:
              data_dir: /from/file
              tracing: { enabled: true, project_id: file-project, shards: 2, flush_interval_ms: 900 }
              analytics: { clickhouse_url: "http://file:8123", clickhouse_database: filedb, retention_days: 10, duckdb_path: /file.duckdb }
              archive: { s3_endpoint: "http://file:9000", bucket: file-bucket, access_key: file-ak, secret_key: file-sk, folder: /file-archive }
            """, new Dictionary<string, string>
        {
            ["HOTDASH_DATA_DIR"] = "/from/env",
            ["HOTDASH_TRACING"] = "false",
            ["HOTDASH_TRACING_PROJECT"] = "env-project",
            ["HOTDASH_TRACING_SHARDS"] = "6",
            ["HOTDASH_TRACING_FLUSH_INTERVAL_MS"] = "50",
            ["CLICKHOUSE_URL"] = "http://env-clickhouse:8124",
            ["CLICKHOUSE_USER"] = "env-user",
            ["CLICKHOUSE_PASSWORD"] = "env-pass",
            ["CLICKHOUSE_DB"] = "envdb",
            ["HOTDASH_RETENTION_DAYS"] = "90",
            ["HOTDASH_DUCKDB_PATH"] = "/env.duckdb",
            ["S3_ENDPOINT"] = "http://env-s3:9001",
            ["S3_BUCKET"] = "env-bucket",
            ["S3_ACCESS_KEY"] = "env-ak",
            ["S3_SECRET_KEY"] = "env-sk",
            ["HOTDASH_ARCHIVE_DIR"] = "/env-archive",
        }).HotDash;

        Assert.Equal("/from/env", h.DataDir);
        Assert.False(h.Tracing.Enabled);
        Assert.Equal(("env-project", 6, TimeSpan.FromMilliseconds(50)), (h.Tracing.ProjectId, h.Tracing.Shards, h.Tracing.FlushInterval));
        Assert.Equal("http://env-clickhouse:8124/", h.Analytics.ClickHouseUrl);
        Assert.Equal(("env-user", "env-pass", "envdb", 90, "/env.duckdb"),
            (h.Analytics.ClickHouseUser, h.Analytics.ClickHousePassword, h.Analytics.ClickHouseDatabase, h.Analytics.RetentionDays, h.Analytics.DuckDbPath));
        Assert.Equal(("http://env-s3:9001", "env-bucket", "env-ak", "env-sk", "/env-archive"),
            (h.Archive.S3Endpoint, h.Archive.Bucket, h.Archive.AccessKey, h.Archive.SecretKey, h.Archive.Folder));
    }

    [Fact]
    public void Load_DataDirFromEnvironment_MovesTheEmbeddedStores()
    {
        var h = Load("", new Dictionary<string, string> { ["HOTDASH_DATA_DIR"] = "/tmp/hd-data" }).HotDash;

        Assert.Equal("/tmp/hd-data/analytics.duckdb", h.Analytics.DuckDbPath);
        Assert.Equal("/tmp/hd-data/archive", h.Archive.Folder);
    }

    [Fact]
    public void Load_LangfuseS3Variables_ConfigureTheArchive()
    {
        var a = Load("", new Dictionary<string, string>
        {
            ["LANGFUSE_S3_EVENT_UPLOAD_ENDPOINT"] = "http://minio:9000",
            ["LANGFUSE_S3_EVENT_UPLOAD_BUCKET"] = "langfuse",
            ["LANGFUSE_S3_EVENT_UPLOAD_ACCESS_KEY_ID"] = "minio",
            ["LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY"] = "miniosecret",
            ["LANGFUSE_S3_EVENT_UPLOAD_REGION"] = "auto",
            ["LANGFUSE_S3_EVENT_UPLOAD_PREFIX"] = "events/",
        }).HotDash.Archive;

        Assert.Equal(("http://minio:9000", "langfuse", "minio", "miniosecret", "auto", "events/"),
            (a.S3Endpoint, a.Bucket, a.AccessKey, a.SecretKey, a.Region, a.Prefix));
        Assert.Equal("minio:9000/langfuse", a.Describe());
    }

    [Fact]
    public void Load_AwsCredentialVariables_OnlyFillInWhatNothingElseNames()
    {
        var aws = new Dictionary<string, string>
        {
            ["S3_ENDPOINT"] = "http://s3:9000",
            ["AWS_ACCESS_KEY_ID"] = "aws-ak",
            ["AWS_SECRET_ACCESS_KEY"] = "aws-sk",
            ["AWS_REGION"] = "ap-south-1",
        };

        var fromAws = Load("", aws).HotDash.Archive;
        var fromFile = Load("hotdash: { archive: { access_key: file-ak, secret_key: file-sk, region: us-west-2 } }", aws).HotDash.Archive;

        Assert.Equal(("aws-ak", "aws-sk", "ap-south-1"), (fromAws.AccessKey, fromAws.SecretKey, fromAws.Region));
        Assert.Equal(("file-ak", "file-sk", "us-west-2"), (fromFile.AccessKey, fromFile.SecretKey, fromFile.Region));
    }

    [Fact]
    public void Load_ClickHouseUrlWithCredentials_MovesThemOutOfTheUrl()
    {
        var a = Load("", new Dictionary<string, string> { ["CLICKHOUSE_URL"] = "https://ingest:p%40ss@ch.example.com:8443" }).HotDash.Analytics;

        Assert.Equal("https://ch.example.com:8443/", a.ClickHouseUrl);
        Assert.Equal(("ingest", "p@ss"), (a.ClickHouseUser, a.ClickHousePassword));
        Assert.Equal("ch.example.com:8443/default", a.Describe());
    }

    [Fact]
    public void Load_ClickHouseUrlWithCredentials_ExplicitUserAndPasswordWin()
    {
        var a = Load("", new Dictionary<string, string>
        {
            ["CLICKHOUSE_URL"] = "http://u:p@ch:8123",
            ["CLICKHOUSE_USER"] = "explicit",
            ["CLICKHOUSE_PASSWORD"] = "explicit-pass",
        }).HotDash.Analytics;

        Assert.Equal(("explicit", "explicit-pass"), (a.ClickHouseUser, a.ClickHousePassword));
    }

    [Theory]
    [InlineData("tracing: { buffer_capacity: -1 }", "hotdash.tracing.buffer_capacity")]
    [InlineData("tracing: { batch_size: 0 }", "hotdash.tracing.batch_size")]
    [InlineData("tracing: { flush_interval_ms: -5 }", "hotdash.tracing.flush_interval_ms")]
    [InlineData("tracing: { shards: 0 }", "hotdash.tracing.shards")]
    [InlineData("tracing: { shards: many }", "hotdash.tracing.shards")]
    [InlineData("tracing: { enabled: maybe }", "hotdash.tracing.enabled")]
    [InlineData("tracing: { project_id: \"../etc\" }", "hotdash.tracing.project_id")]
    [InlineData("analytics: { retention_days: -30 }", "hotdash.analytics.retention_days")]
    [InlineData("analytics: { clickhouse_url: \"not a url\" }", "hotdash.analytics.clickhouse_url")]
    [InlineData("analytics: { clickhouse_url: \"ftp://ch:21\" }", "hotdash.analytics.clickhouse_url")]
    [InlineData("analytics: { clickhouse_url: \"http://ch:8123\", clickhouse_database: \"a-b; DROP\" }", "hotdash.analytics.clickhouse_database")]
    [InlineData("archive: { s3_endpoint: \"minio:9000\" }", "hotdash.archive.s3_endpoint")]
    [InlineData("archive: { s3_endpoint: \"http://minio:9000/bucket\" }", "hotdash.archive.s3_endpoint")]
    [InlineData("archive: { bucket: \"Upper_Case\" }", "hotdash.archive.bucket")]
    [InlineData("archive: { prefix: \"/abs/\" }", "hotdash.archive.prefix")]
    [InlineData("tracing: 5", "hotdash.tracing")]
    public void Load_MalformedValueInFile_FailsNamingTheKeyAndLine(string section, string keyPath)
    {
        var e = Fails($"model_list: []\nhotdash:\n  {section}\n");

        Assert.Equal(keyPath, e.KeyPath);
        Assert.Contains("(line 3)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TracingEnvironment_FromTheFileOrLangfusesVariableWhichWins()
    {
        const string Yaml = """
            hotdash:
              tracing: { environment: staging }
            """;

        Assert.Equal("default", Load("", new Dictionary<string, string>()).HotDash.Tracing.Environment);
        Assert.Equal("staging", Load(Yaml, new Dictionary<string, string>()).HotDash.Tracing.Environment);
        Assert.Equal("prod-eu_1", Load(Yaml, new Dictionary<string, string> { ["LANGFUSE_TRACING_ENVIRONMENT"] = "prod-eu_1" }).HotDash.Tracing.Environment);
    }

    [Fact]
    public void Load_TracingEnvironmentReserved_FailsNamingTheKeyAndLine()
    {
        var e = Fails("""
            hotdash:
              tracing:
                environment: langfuse-prod
            """, new Dictionary<string, string>());

        Assert.Equal("hotdash.tracing.environment", e.KeyPath);
        Assert.Contains("(line 3)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HOTDASH_TRACING", "sometimes")]
    [InlineData("HOTDASH_TRACING_SHARDS", "-2")]
    [InlineData("HOTDASH_TRACING_BATCH_SIZE", "lots")]
    [InlineData("HOTDASH_TRACING_PROJECT", "a/b")]
    [InlineData("LANGFUSE_TRACING_ENVIRONMENT", "Production")]
    [InlineData("LANGFUSE_TRACING_ENVIRONMENT", "langfuse-internal")]
    [InlineData("LANGFUSE_TRACING_ENVIRONMENT", "has space")]
    [InlineData("HOTDASH_RETENTION_DAYS", "-1")]
    [InlineData("HOTDASH_RETENTION_DAYS", "0")]
    [InlineData("CLICKHOUSE_URL", "clickhouse:8123")]
    [InlineData("CLICKHOUSE_DB", "no-dashes")]
    [InlineData("S3_ENDPOINT", "not a url")]
    [InlineData("S3_BUCKET", "x")]
    public void Load_MalformedEnvironmentValue_FailsNamingTheVariable(string name, string value)
    {
        var e = Fails("", new Dictionary<string, string> { [name] = value });

        Assert.Equal(name, e.KeyPath);
    }

    [Fact]
    public void Load_OnlyOneS3Key_FailsNamingTheMissingOne()
    {
        var e = Fails("", new Dictionary<string, string> { ["S3_ENDPOINT"] = "http://s3:9000", ["S3_ACCESS_KEY"] = "ak" });

        Assert.Equal("hotdash.archive.secret_key", e.KeyPath);
    }

    [Fact]
    public void Load_BadClickHouseUrlWithPassword_MessageDoesNotShowThePassword()
    {
        var e = Fails("", new Dictionary<string, string> { ["CLICKHOUSE_URL"] = "http://user:topsecret@ch:8123/?database=x" });

        Assert.Equal("CLICKHOUSE_URL", e.KeyPath);
        Assert.DoesNotContain("topsecret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ConfiguredStores_NameEndpointsWithoutSecrets()
    {
        var h = Load("", new Dictionary<string, string>
        {
            ["CLICKHOUSE_URL"] = "http://ingest:chpass@ch:8123",
            ["S3_ENDPOINT"] = "http://s3:9000",
            ["S3_ACCESS_KEY"] = "ak-visible-nowhere",
            ["S3_SECRET_KEY"] = "sk-visible-nowhere",
        }).HotDash;

        Assert.Equal("ch:8123/default", h.Analytics.Describe());
        Assert.Equal("s3:9000/hotdash-events", h.Archive.Describe());
        Assert.DoesNotContain("chpass", h.Analytics.ClickHouseUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeysInTheNewSections_AreWarnings()
    {
        var config = Load("""
            hotdash:
              tracing: { sample_rate: 0.5 }
              analytics: { engine: clickhouse }
              archive: { compression: zstd }
            """);

        Assert.Contains("hotdash.tracing.sample_rate is not a setting HotDash knows; ignored", config.Warnings);
        Assert.Contains("hotdash.analytics.engine is not a setting HotDash knows; ignored", config.Warnings);
        Assert.Contains("hotdash.archive.compression is not a setting HotDash knows; ignored", config.Warnings);
    }

    [Fact]
    public void Load_RelativePaths_BecomeAbsolute()
    {
        var h = Load("hotdash: { data_dir: rel-data, analytics: { duckdb_path: db/a.duckdb } }").HotDash;

        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "rel-data"), h.DataDir);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "db", "a.duckdb"), h.Analytics.DuckDbPath);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "rel-data", "archive"), h.Archive.Folder);
    }

    [Fact]
    public void Load_EmptyArchivePrefix_IsKept()
    {
        Assert.Equal("", Load("hotdash: { archive: { prefix: \"\" } }").HotDash.Archive.Prefix);
    }
}
