using HotDash.Hosting.Configuration;

namespace HotDash.Hosting.Tests.Configuration;

public sealed class HotDashConfigLoaderTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["OPENAI_API_KEY"] = "sk-openai",
        ["OPENAI_BACKUP_KEY"] = "sk-backup",
        ["ANTHROPIC_API_KEY"] = "sk-ant",
        ["REDIS_HOST"] = "redis.internal",
        ["REDIS_PASSWORD"] = "s3cret",
        ["LITELLM_MASTER_KEY"] = "sk-master",
        ["DATABASE_URL"] = "postgresql://u:p@db:5432/litellm",
    };

    private static HotDashConfig Load(string yaml, IDictionary<string, string>? env = null) =>
        HotDashConfigLoader.FromYaml(yaml, null, name => (env ?? Env).TryGetValue(name, out var v) ? v : null);

    private static ConfigException Fails(string yaml) => Assert.Throws<ConfigException>(() => Load(yaml));

    [Fact]
    public void Load_SeedStyleLiteLlmConfig_ReadsEveryModelAndSetting()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "litellm.config.yaml");
        var config = HotDashConfigLoader.FromYaml(File.ReadAllText(path), path, name => Env.GetValueOrDefault(name));

        Assert.False(config.UsesBuiltInModels);
        Assert.Equal(6, config.ModelList.Count);
        var primary = config.ModelList[0];
        Assert.Equal("gpt-4o", primary.ModelName);
        Assert.Equal("gpt-4o-primary", primary.Id);
        Assert.Equal("openai", primary.Provider);
        Assert.Equal("gpt-4o", primary.UpstreamModel);
        Assert.Equal("https://api.openai.com/v1", primary.ApiBase);
        Assert.Equal("sk-openai", primary.ApiKey);
        Assert.Equal(500, primary.Rpm);
        Assert.Equal(200000, primary.Tpm);
        Assert.Equal(60, primary.TimeoutSeconds);
        Assert.Equal(15, primary.StreamTimeoutSeconds);
        Assert.Equal(0.0000025m, primary.InputCostPerToken);
        Assert.Equal("chat", primary.Mode);

        Assert.Equal("sk-backup", config.ModelList[1].ApiKey);
        Assert.Equal("https://backup.example.internal/v1", config.ModelList[1].ApiBase);
        Assert.NotEqual(config.ModelList[1].Id, config.ModelList[2].Id);
        Assert.Equal("meta-llama/Meta-Llama-3-70B-Instruct", config.ModelList[3].UpstreamModel);
        Assert.Equal("hosted_vllm", config.ModelList[3].Provider);
        Assert.Equal("embedding", config.ModelList[5].Mode);

        Assert.Equal(2, config.LiteLlmSettings.NumRetries);
        Assert.True(config.LiteLlmSettings.Cache);
        Assert.Equal(["langfuse"], config.LiteLlmSettings.SuccessCallback);
        Assert.True(config.LiteLlmSettings.Raw.ContainsKey("default_team_params"));
        Assert.Equal(3, config.RouterSettings.NumRetries);
        Assert.Equal(2, config.RouterSettings.AllowedFails);
        Assert.Equal(30, config.RouterSettings.CooldownSeconds);
        Assert.Equal("gpt-4o", config.RouterSettings.ModelGroupAlias["gpt-4"]);
        Assert.Equal("sk-master", config.MasterKey);
        Assert.Equal("postgresql://u:p@db:5432/litellm", config.GeneralSettings.DatabaseUrl);
        Assert.Equal(8, config.GeneralSettings.MaxRequestSizeMb);
        Assert.Equal("http://localhost:3000", config.EnvironmentVariables["LANGFUSE_HOST"]);
        Assert.Equal("redis.internal:6379,password=s3cret,abortConnect=false", config.Infrastructure.RedisConnectionString);
        Assert.Equal("litellm_settings.cache_params", config.Infrastructure.RedisSource);
    }

    [Fact]
    public void Load_UnsupportedProvider_WarnsInsteadOfFailing()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "litellm.config.yaml");
        var config = HotDashConfigLoader.FromYaml(File.ReadAllText(path), path, name => Env.GetValueOrDefault(name));

        Assert.Contains(config.Warnings, w => w.Contains("model_list[4].litellm_params.model", StringComparison.Ordinal) && w.Contains("anthropic", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NoConfig_RunsOnBuiltInMockModels()
    {
        var config = Load("");

        Assert.True(config.UsesBuiltInModels);
        Assert.Equal(["mock-chat", "mock-embedding"], config.ModelList.Select(m => m.ModelName));
        Assert.All(config.ModelList, m => Assert.Equal("mock", m.Provider));
        Assert.Null(config.Infrastructure.RedisConnectionString);
        Assert.Equal(4000, config.HotDash.ApiPort);
        Assert.Equal(3000, config.HotDash.DashboardPort);
        Assert.Equal(3030, config.HotDash.SiloHttpPort);
    }

    [Fact]
    public void Load_MissingModel_NamesTheKeyPath()
    {
        var e = Fails("""
            model_list:
              - model_name: a
                litellm_params: { model: mock/a }
              - model_name: b
                litellm_params: { model: mock/b }
              - model_name: c
                litellm_params:
                  api_base: http://localhost:1/v1
            """);

        Assert.Equal("model_list[2].litellm_params.model", e.KeyPath);
        Assert.Contains("required", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model_list:\n  - model_name: a\n    litellm_params: { model: mock/a, rpm: lots }", "model_list[0].litellm_params.rpm")]
    [InlineData("model_list:\n  - model_name: a\n    litellm_params: { model: mock/a, timeout: [1] }", "model_list[0].litellm_params.timeout")]
    [InlineData("model_list:\n  - litellm_params: { model: mock/a }", "model_list[0].model_name")]
    [InlineData("model_list:\n  - model_name: a", "model_list[0].litellm_params")]
    [InlineData("model_list:\n  - model_name: a\n    litellm_params: { model: hosted_vllm/llama }", "model_list[0].litellm_params.api_base")]
    [InlineData("model_list:\n  - model_name: a\n    litellm_params: { model: openai/a, api_base: 'ftp://x' }", "model_list[0].litellm_params.api_base")]
    [InlineData("model_list:\n  - model_name: a\n    litellm_params: { model: llama3 }", "model_list[0].litellm_params.model")]
    [InlineData("model_list: {a: 1}", "model_list")]
    [InlineData("general_settings: [1, 2]", "general_settings")]
    [InlineData("general_settings: { max_request_size_mb: -1 }", "general_settings.max_request_size_mb")]
    [InlineData("general_settings: { token_rate_limit_type: both }", "general_settings.token_rate_limit_type")]
    [InlineData("litellm_settings: { num_retries: 1.5 }", "litellm_settings.num_retries")]
    [InlineData("litellm_settings: { drop_params: maybe }", "litellm_settings.drop_params")]
    [InlineData("router_settings: { allowed_fails: -2 }", "router_settings.allowed_fails")]
    [InlineData("hotdash: { api_port: 70000 }", "hotdash.api_port")]
    [InlineData("router_settings: { num_retries: 50 }", "router_settings.num_retries")]
    [InlineData("router_settings: { allowed_fails: 5000 }", "router_settings.allowed_fails")]
    [InlineData("router_settings: { timeout: 1e12 }", "router_settings.timeout")]
    [InlineData("litellm_settings: { request_timeout: 999999999 }", "litellm_settings.request_timeout")]
    [InlineData("general_settings: { max_request_size_mb: 1e9 }", "general_settings.max_request_size_mb")]
    [InlineData("model_list:\n  - model_name: a\n    litellm_params: { model: mock/a, timeout: 5000000 }", "model_list[0].litellm_params.timeout")]
    [InlineData("model_list:\n  - model_name: a\n    litellm_params: { model: mock/a }\n    model_info: { output_vector_size: 100000 }", "model_list[0].model_info.output_vector_size")]
    [InlineData("model_list:\n  - model_name: a\n    litellm_params: { model: mock/a }\n    model_info: { id: x }\n  - model_name: b\n    litellm_params: { model: mock/b }\n    model_info: { id: x }", "model_list[1].model_info.id")]
    public void Load_WrongTypeOrMissingField_FailsNamingTheKeyPath(string yaml, string keyPath)
    {
        var e = Fails(yaml);

        Assert.Equal(keyPath, e.KeyPath);
        Assert.StartsWith(keyPath, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidYaml_FailsWithTheLine()
    {
        var e = Fails("model_list:\n  - model_name: a\n   bad: [");

        Assert.Contains("not valid YAML", e.Message, StringComparison.Ordinal);
        Assert.Contains("line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeys_AreWarningsNotErrors()
    {
        var config = Load("""
            model_list:
              - model_name: a
                litellm_params: { model: mock/a, flux_capacitor: 1 }
            general_settings: { teleport: true }
            litellm_settings: { callbacks: [] }
            something_new: 1
            """);

        Assert.Contains("something_new is not a setting HotDash knows; ignored", config.Warnings);
        Assert.Contains("general_settings.teleport is not a setting HotDash knows; ignored", config.Warnings);
        Assert.Contains(config.Warnings, w => w.StartsWith("model_list[0].litellm_params.flux_capacitor", StringComparison.Ordinal));
        Assert.DoesNotContain(config.Warnings, w => w.Contains("callbacks", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OsEnvironReference_ResolvesAndWarnsWhenUnset()
    {
        var config = Load("""
            model_list:
              - model_name: a
                litellm_params: { model: openai/a, api_base: http://127.0.0.1:9/v1, api_key: os.environ/NOT_SET_ANYWHERE }
            general_settings: { master_key: os.environ/LITELLM_MASTER_KEY }
            """);

        Assert.Null(config.ModelList[0].ApiKey);
        Assert.Equal("sk-master", config.MasterKey);
        Assert.Contains(config.Warnings, w => w.Contains("NOT_SET_ANYWHERE", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MasterKeyReferenceToUnsetVariable_FailsRatherThanRunningOpen()
    {
        var e = Assert.Throws<ConfigException>(() => Load("general_settings: { master_key: os.environ/MY_MASTER }", new Dictionary<string, string>()));

        Assert.Equal("general_settings.master_key", e.KeyPath);
    }

    [Fact]
    public void Load_NestedOsEnvironReference_IsResolvedInTheKeptSection()
    {
        var config = Load("litellm_settings:\n  cache_params: { type: redis, password: os.environ/REDIS_PASSWORD }\nguardrails:\n  - name: g\n    api_key: os.environ/ANTHROPIC_API_KEY");

        Assert.Equal("s3cret", config.LiteLlmSettings.CacheParams["password"]);
        var guardrail = Assert.IsType<Dictionary<string, object?>>(Assert.IsType<List<object?>>(config.Sections["guardrails"])[0]);
        Assert.Equal("sk-ant", guardrail["api_key"]);
    }

    [Fact]
    public void Load_EnvironmentVariablesSection_FeedsOsEnvironReferences()
    {
        var config = Load("""
            environment_variables: { MY_KEY: sk-from-file }
            model_list:
              - model_name: a
                litellm_params: { model: openai/a, api_base: http://127.0.0.1:9/v1, api_key: os.environ/MY_KEY }
            """, new Dictionary<string, string>());

        Assert.Equal("sk-from-file", config.ModelList[0].ApiKey);
    }

    [Theory]
    [InlineData("LITELLM_MASTER_KEY")]
    [InlineData("HOTDASH_MASTER_KEY")]
    public void Load_MasterKeyFromEnvironment_IsUsedWhenTheFileHasNone(string variable)
    {
        var config = Load("", new Dictionary<string, string> { [variable] = "sk-env" });

        Assert.Equal("sk-env", config.MasterKey);
    }

    [Theory]
    [InlineData("redis://127.0.0.1:6390", "127.0.0.1:6390,abortConnect=false")]
    [InlineData("redis://:pw@cache:6380/2", "cache:6380,password=pw,defaultDatabase=2,abortConnect=false")]
    [InlineData("rediss://default:pw@cache", "cache:6379,password=pw,ssl=true,abortConnect=false")]
    [InlineData("127.0.0.1:6379", "127.0.0.1:6379,abortConnect=false")]
    public void Load_RedisUrlEnvironment_SwitchesToRedis(string url, string expected)
    {
        var config = Load("", new Dictionary<string, string> { ["REDIS_URL"] = url });

        Assert.Equal(expected, config.Infrastructure.RedisConnectionString);
        Assert.Equal("REDIS_URL", config.Infrastructure.RedisSource);
    }

    [Fact]
    public void Load_RouterRedisSettings_SwitchToRedis()
    {
        var config = Load("router_settings: { redis_host: r1, redis_port: 6400, redis_password: pw }", new Dictionary<string, string>());

        Assert.Equal("r1:6400,password=pw,abortConnect=false", config.Infrastructure.RedisConnectionString);
    }

    [Fact]
    public void Load_HotDashSection_SetsPortsAndEnvironmentWins()
    {
        var config = Load("hotdash: { api_port: 4100, dashboard_port: 3100, cluster_id: blue }",
            new Dictionary<string, string> { ["HOTDASH_API_PORT"] = "4200" });

        Assert.Equal(4200, config.HotDash.ApiPort);
        Assert.Equal(3100, config.HotDash.DashboardPort);
        Assert.Equal("blue", config.HotDash.ClusterId);
    }

    [Fact]
    public void Load_DatabaseUrlEnvironment_IsConvertedForNpgsqlAndNamesItsSource()
    {
        var config = Load("", new Dictionary<string, string> { ["DATABASE_URL"] = "postgresql://u:p@db:5432/litellm?schema=public" });

        Assert.Equal("postgresql://u:p@db:5432/litellm?schema=public", config.Infrastructure.DatabaseUrl);
        Assert.Equal("db:5432/litellm", config.Infrastructure.Database!.Endpoint);
        Assert.Contains("Database=litellm", config.Infrastructure.Database.ConnectionString, StringComparison.Ordinal);
        Assert.Equal("DATABASE_URL", config.Infrastructure.DatabaseSource);
        Assert.Contains("DATABASE_URL: the URL parameter schema (a Prisma setting) is ignored", config.Warnings);
    }

    [Fact]
    public void Load_DatabaseUrlInGeneralSettings_WinsOverTheEnvironment()
    {
        var config = Load("general_settings: { database_url: 'postgresql://u:p@file-db/app' }");

        Assert.Equal("file-db:5432/app", config.Infrastructure.Database!.Endpoint);
        Assert.Equal("general_settings.database_url", config.Infrastructure.DatabaseSource);
    }

    [Fact]
    public void Load_NoDatabaseUrl_LeavesTheRegistryToGrainState()
    {
        var config = Load("", new Dictionary<string, string>());

        Assert.Null(config.Infrastructure.Database);
        Assert.Null(config.Infrastructure.DatabaseSource);
    }

    [Fact]
    public void Load_MalformedDatabaseUrlInTheFile_FailsWithTheKeyAndLine()
    {
        var e = Fails("general_settings:\n  master_key: sk-1\n  database_url: postgresql://u:pw@db:70000/app\n");

        Assert.Equal("general_settings.database_url (line 3): the port must be a whole number from 1 to 65535, not \"70000\"", e.Message);
    }

    [Fact]
    public void Load_DbSchema_DefaultsToHotdashAndTheEnvironmentWins()
    {
        Assert.Equal("hotdash", Load("", new Dictionary<string, string>()).HotDash.DbSchema);
        Assert.Equal("registry", Load("hotdash: { db_schema: registry }", new Dictionary<string, string>()).HotDash.DbSchema);
        Assert.Equal("from_env", Load("hotdash: { db_schema: registry }", new Dictionary<string, string> { ["HOTDASH_DB_SCHEMA"] = "from_env" }).HotDash.DbSchema);
        Assert.DoesNotContain(Load("hotdash: { db_schema: registry }").Warnings, w => w.Contains("db_schema", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("HotDash")]
    [InlineData("pg_hotdash")]
    [InlineData("1st")]
    [InlineData("\"quoted\"")]
    [InlineData("a-b")]
    public void Load_DbSchemaThatIsNotALowerCaseSqlName_FailsNamingTheKey(string schema)
    {
        var e = Fails($"hotdash:\n  db_schema: '{schema}'\n");

        Assert.StartsWith("hotdash.db_schema (line 2): must be a lower-case SQL name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BareOpenAiModelName_IsInferredAsOpenAi()
    {
        var config = Load("model_list:\n  - model_name: a\n    litellm_params: { model: gpt-4o-mini }");

        Assert.Equal("openai", config.ModelList[0].Provider);
        Assert.Equal("gpt-4o-mini", config.ModelList[0].UpstreamModel);
    }

    [Fact]
    public void Load_Yaml11Scalars_ReadAsPyYamlReadsThem()
    {
        var config = Load("litellm_settings: { drop_params: yes, cache: off, request_timeout: 1_000 }");

        Assert.True(config.LiteLlmSettings.DropParams);
        Assert.False(config.LiteLlmSettings.Cache);
        Assert.Equal(1000, config.LiteLlmSettings.RequestTimeoutSeconds);
    }

    [Fact]
    public void Load_IncludedFile_AppendsItsModels()
    {
        var dir = Directory.CreateTempSubdirectory("hotdash-include");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "models.yaml"), "model_list:\n  - model_name: b\n    litellm_params: { model: mock/b }\n");
            var main = Path.Combine(dir.FullName, "config.yaml");
            File.WriteAllText(main, "include: [models.yaml]\nmodel_list:\n  - model_name: a\n    litellm_params: { model: mock/a }\n");

            var config = HotDashConfigLoader.FromYaml(File.ReadAllText(main), main, _ => null);

            Assert.Equal(["a", "b"], config.ModelList.Select(m => m.ModelName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void FindConfigPath_ArgumentWinsOverEnvironment()
    {
        Assert.Equal("a.yaml", HotDashConfigLoader.FindConfigPath(["--config", "a.yaml"]));
        Assert.Equal("b.yaml", HotDashConfigLoader.FindConfigPath(["--urls", "x", "--config=b.yaml"]));
    }

    [Fact]
    public void Load_MissingFile_FailsNamingIt()
    {
        var e = Assert.Throws<ConfigException>(() => HotDashConfigLoader.Load("/nonexistent/config.yaml"));

        Assert.Contains("/nonexistent/config.yaml", e.Message, StringComparison.Ordinal);
    }
}
