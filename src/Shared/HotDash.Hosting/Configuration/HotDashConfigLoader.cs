using System.Security.Cryptography;
using System.Text;

namespace HotDash.Hosting.Configuration;

/// <summary>
/// Reads a LiteLLM proxy <c>config.yaml</c> (plus the HotDash-only <c>hotdash:</c> section) into a
/// validated <see cref="HotDashConfig"/>. Wrong types and missing required fields throw
/// <see cref="ConfigException"/> naming the key path; unknown keys become warnings.
/// </summary>
public static class HotDashConfigLoader
{
    private static readonly HashSet<string> TopLevelKeys =
    [
        "model_list", "litellm_settings", "router_settings", "general_settings", "environment_variables", "hotdash",
        "include", "guardrails", "callback_settings", "credential_list", "mcp_servers", "files_settings", "assistant_settings",
        "vector_store_registry", "search_tools", "pass_through_endpoints", "finetune_settings",
    ];

    private static readonly HashSet<string> ModelEntryKeys = ["model_name", "litellm_params", "model_info"];

    private static readonly HashSet<string> LiteLlmParamKeys =
    [
        "model", "api_base", "api_key", "api_version", "organization", "rpm", "tpm", "timeout", "stream_timeout",
        "max_retries", "mock_response", "mock_latency_ms", "mock_chunk_delay_ms", "input_cost_per_token", "output_cost_per_token",
        "input_cost_per_second", "output_cost_per_second", "custom_llm_provider", "base_model", "weight", "order", "tags",
        "max_parallel_requests", "extra_headers", "headers", "drop_params", "additional_drop_params", "region_name",
        "litellm_credential_name", "use_in_pass_through", "merge_reasoning_content_in_choices", "max_tokens", "temperature",
        "top_p", "seed", "stop", "response_format", "configurable_clientside_auth_params", "aws_access_key_id",
        "aws_secret_access_key", "aws_region_name", "vertex_project", "vertex_location", "vertex_credentials",
    ];

    private static readonly HashSet<string> LiteLlmSettingsKeys =
    [
        "num_retries", "request_timeout", "drop_params", "cache", "cache_params", "success_callback", "failure_callback",
        "callbacks", "service_callback", "set_verbose", "json_logs", "default_team_params", "upperbound_key_generate_params",
        "default_key_generate_params", "default_internal_user_params", "max_budget", "budget_duration", "fallbacks",
        "context_window_fallbacks", "content_policy_fallbacks", "turn_off_message_logging", "redact_user_api_key_info",
        "redact_messages_in_exceptions", "langfuse_default_tags", "default_max_internal_user_budget", "max_internal_user_budget",
        "internal_user_budget_duration", "force_ipv4", "modify_params", "enable_preview_features", "disable_end_user_cost_tracking",
        "cache_responses", "enable_json_schema_validation", "allowed_fails", "cooldown_time", "telemetry", "max_end_user_budget",
        "key_generation_settings", "disable_add_transform_inline_image_block", "return_response_headers", "ssl_verify",
        "public_team_ids", "default_fallbacks", "extra_spend_tag_headers", "model_group_settings", "tag_budget_config",
    ];

    private static readonly HashSet<string> RouterSettingsKeys =
    [
        "routing_strategy", "routing_strategy_args", "redis_host", "redis_port", "redis_password", "redis_url", "num_retries",
        "timeout", "stream_timeout", "retry_after", "allowed_fails", "cooldown_time", "fallbacks", "context_window_fallbacks",
        "content_policy_fallbacks", "default_fallbacks", "enable_pre_call_checks", "model_group_alias", "default_litellm_params",
        "set_verbose", "retry_policy", "allowed_fails_policy", "disable_cooldowns", "enable_tag_filtering", "provider_budget_config",
        "cache_responses", "cache_kwargs", "default_max_parallel_requests", "max_fallbacks", "optional_pre_call_checks",
        "model_group_retry_policy", "debug_level", "alerting_config", "client_ttl", "default_priority", "polling_interval",
    ];

    private static readonly HashSet<string> GeneralSettingsKeys =
    [
        "master_key", "database_url", "database_connection_pool_limit", "database_connection_timeout", "max_request_size_mb",
        "max_response_size_mb", "token_rate_limit_type", "store_model_in_db", "disable_spend_logs", "disable_error_logs", "alerting",
        "alerting_threshold", "alert_types", "alert_to_webhook_url", "proxy_batch_write_at", "proxy_budget_rescheduler_min_time",
        "proxy_budget_rescheduler_max_time", "ui_access_mode", "allowed_routes", "admin_only_routes", "public_routes",
        "background_health_checks", "health_check_interval", "health_check_details", "infer_model_from_keys", "enforce_user_param",
        "custom_auth", "custom_key_generate", "user_header_name", "litellm_key_header_name", "disable_master_key_return",
        "allow_requests_on_db_unavailable", "max_parallel_requests", "global_max_parallel_requests", "maximum_spend_logs_retention_period",
        "maximum_spend_logs_retention_interval", "disable_reset_budget", "use_redis_transaction_buffer", "disable_retry_on_max_parallel_request_limit_error",
        "enable_jwt_auth", "litellm_jwtauth", "allowed_ips", "enforced_params", "disable_prisma_schema_update", "supported_db_objects",
        "forward_client_headers_to_llm_api", "pass_through_endpoints", "spend_report_frequency", "key_management_system",
        "key_management_settings", "use_x_forwarded_for", "service_account_settings", "reject_clientside_metadata_tags",
    ];

    private static readonly HashSet<string> HotDashKeys =
    [
        "bind_address", "api_port", "dashboard_port", "silo_port", "orleans_silo_port", "orleans_gateway_port", "cluster_id",
        "service_id", "gateway_url", "advertised_address", "db_schema", "data_dir", "tracing", "analytics", "archive",
        "cache",
    ];

    private static readonly HashSet<string> TracingKeys = ["enabled", "project_id", "environment", "buffer_capacity", "batch_size", "flush_interval_ms", "shards"];

    private static readonly HashSet<string> AnalyticsKeys =
        ["clickhouse_url", "clickhouse_user", "clickhouse_password", "clickhouse_database", "retention_days", "duckdb_path"];

    private static readonly HashSet<string> ArchiveKeys = ["s3_endpoint", "bucket", "access_key", "secret_key", "region", "prefix", "folder"];

    // Bounds that keep every setting usable as a timer or a buffer size; past them a value is a typo.
    private const double MaxSeconds = 86_400;
    private const int MaxRetries = 20;

    /// <summary>Finds the config path: <c>--config PATH</c> (or <c>--config=PATH</c>) in the arguments, else <c>HOTDASH_CONFIG</c>.</summary>
    public static string? FindConfigPath(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                return args[i + 1];
            }
            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                return args[i]["--config=".Length..];
            }
        }
        var fromEnv = Environment.GetEnvironmentVariable("HOTDASH_CONFIG");
        return string.IsNullOrWhiteSpace(fromEnv) ? null : fromEnv;
    }

    /// <summary>Loads the file at <paramref name="path"/> (null: embedded defaults) with the process environment.</summary>
    public static HotDashConfig Load(string? path)
    {
        if (path is null)
        {
            return FromYaml("", null, Environment.GetEnvironmentVariable, applyEnvironment: true);
        }
        if (!File.Exists(path))
        {
            throw new ConfigException("--config", $"the file {path} does not exist");
        }
        return FromYaml(File.ReadAllText(path), Path.GetFullPath(path), Environment.GetEnvironmentVariable, applyEnvironment: true);
    }

    /// <summary>
    /// Parses YAML text. <paramref name="env"/> reads environment variables; with
    /// <paramref name="applyEnvironment"/> the file's <c>environment_variables</c> are exported into the process.
    /// </summary>
    public static HotDashConfig FromYaml(string yaml, string? sourcePath, Func<string, string?> env, bool applyEnvironment = false)
    {
        var warnings = new List<string>();
        var root = YamlTree.Parse(yaml, sourcePath is null ? "config" : Path.GetFileName(sourcePath));
        if (sourcePath is not null)
        {
            MergeIncludes(root, Path.GetDirectoryName(sourcePath)!);
        }

        // environment_variables come first: os.environ/ references elsewhere may name them.
        var overlay = new Dictionary<string, string>(StringComparer.Ordinal);
        var top = new ConfigReader(root, "", name => overlay.TryGetValue(name, out var v) ? v : env(name), warnings);
        top.WarnUnknown(TopLevelKeys);
        if (top.Section("environment_variables") is { } envSection)
        {
            foreach (var (k, _) in envSection.Map.Entries)
            {
                var value = envSection.String(k) ?? "";
                overlay[k] = value;
                if (applyEnvironment)
                {
                    Environment.SetEnvironmentVariable(k, value);
                }
            }
        }
        Func<string, string?> lookup = name => overlay.TryGetValue(name, out var v) ? v : env(name);
        top = new ConfigReader(root, "", lookup, warnings);

        var generalSection = top.Section("general_settings");
        var general = ReadGeneral(generalSection, lookup, warnings);
        var litellm = ReadLiteLlm(top.Section("litellm_settings"));
        var router = ReadRouter(top.Section("router_settings"));
        var hotdash = ReadHotDash(top.Section("hotdash"), lookup);
        var (models, builtIn) = ReadModelList(top, warnings);

        if (litellm.Raw.ContainsKey("fallbacks") || router.Raw.ContainsKey("fallbacks"))
        {
            warnings.Add("fallbacks are read but not yet applied: requests retry within their own model group only");
        }

        var infrastructure = ResolveInfrastructure(general, generalSection?.Map.LineOf("database_url"), litellm, router, lookup, warnings);
        var cache = CacheSettings.Read(top.Section("litellm_settings"), top.Section("hotdash")?.Section("cache"), models, infrastructure, warnings);

        return new HotDashConfig
        {
            SourcePath = sourcePath,
            Sections = top.Raw(),
            ModelList = models,
            UsesBuiltInModels = builtIn,
            LiteLlmSettings = litellm,
            RouterSettings = router,
            GeneralSettings = general,
            EnvironmentVariables = overlay,
            HotDash = hotdash,
            Infrastructure = infrastructure,
            Cache = cache,
            Warnings = warnings,
        };
    }

    private static void MergeIncludes(ConfigMap root, string directory)
    {
        if (!root.TryGet("include", out var inc) || inc is null)
        {
            return;
        }
        var files = inc as List<object?> ?? throw new ConfigException("include", "must be a list of file names", root.LineOf("include"));
        for (var i = 0; i < files.Count; i++)
        {
            var name = files[i] as string ?? throw new ConfigException($"include[{i}]", "must be a file name", root.LineOf("include"));
            var full = Path.Combine(directory, name);
            if (!File.Exists(full))
            {
                throw new ConfigException($"include[{i}]", $"the file {full} does not exist", root.LineOf("include"));
            }
            var included = YamlTree.Parse(File.ReadAllText(full), name);
            foreach (var (k, v) in included.Entries)
            {
                // As LiteLLM does: an included model_list is appended; other sections fill in what the main file lacks.
                if (k == "model_list" && root.TryGet(k, out var existing) && existing is List<object?> list && v is List<object?> more)
                {
                    list.AddRange(more);
                }
                else if (!root.TryGet(k, out var present) || present is null)
                {
                    root.Add(k, v, included.LineOf(k) ?? 0);
                }
            }
        }
    }

    private static (IReadOnlyList<ModelDeployment>, bool) ReadModelList(ConfigReader top, List<string> warnings)
    {
        var list = top.List("model_list");
        if (list is null || list.Count == 0)
        {
            return (BuiltInModels(), true);
        }

        var models = new List<ModelDeployment>(list.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"model_list[{i}]";
            if (list[i] is not ConfigMap entryMap)
            {
                throw new ConfigException(path, $"must be a mapping with model_name and litellm_params, not {ConfigReader.Describe(list[i])}", top.Map.LineOf("model_list"));
            }
            var entry = new ConfigReader(entryMap, path, NameLookup(top), warnings);
            entry.WarnUnknown(ModelEntryKeys);
            var modelName = entry.String("model_name", required: true)!;
            var p = entry.Section("litellm_params", required: true)!;
            p.WarnUnknown(LiteLlmParamKeys, "is not used by HotDash; ignored");
            var info = entry.Section("model_info");

            var model = p.String("model", required: true)!;
            var slash = model.IndexOf('/');
            string provider, upstream;
            if (slash > 0)
            {
                provider = model[..slash];
                upstream = model[(slash + 1)..];
            }
            else
            {
                provider = p.String("custom_llm_provider") ?? Providers.Infer(model)
                    ?? throw new ConfigException($"{path}.litellm_params.model", $"cannot tell the provider of \"{model}\": write it as provider/model, e.g. openai/{model}", p.Map.LineOf("model"));
                upstream = model;
            }
            if (upstream.Length == 0)
            {
                throw new ConfigException($"{path}.litellm_params.model", $"\"{model}\" names no model after the provider", p.Map.LineOf("model"));
            }

            var adapter = Providers.AdapterFor(provider);
            var apiBase = p.String("api_base") ?? Providers.DefaultApiBase(provider);
            if (adapter is null)
            {
                warnings.Add($"{path}.litellm_params.model: the provider \"{provider}\" is not supported by this HotDash yet; calls to {modelName} will be refused");
            }
            else if (adapter == Providers.OpenAI && apiBase is null)
            {
                throw new ConfigException($"{path}.litellm_params.api_base", $"is required for the provider \"{provider}\"", p.Map.LineOf("model"));
            }
            if (apiBase is not null && (!Uri.TryCreate(apiBase, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https")))
            {
                throw new ConfigException($"{path}.litellm_params.api_base", $"must be an http(s) URL, not \"{apiBase}\"", p.Map.LineOf("api_base"));
            }

            var id = info?.String("id") ?? Hash($"{modelName}\n{model}\n{apiBase}\n{i}");
            if (!ids.Add(id))
            {
                throw new ConfigException($"{path}.model_info.id", $"\"{id}\" is used by another deployment", info?.Map.LineOf("id"));
            }

            models.Add(new ModelDeployment
            {
                ModelName = modelName,
                Id = id,
                Model = model,
                Provider = provider.ToLowerInvariant(),
                UpstreamModel = upstream,
                ApiBase = apiBase?.TrimEnd('/'),
                ApiKey = p.String("api_key"),
                Rpm = p.Long("rpm", 0) ?? entry.Long("rpm", 0),
                Tpm = p.Long("tpm", 0) ?? entry.Long("tpm", 0),
                TimeoutSeconds = p.Double("timeout", 0, MaxSeconds),
                StreamTimeoutSeconds = p.Double("stream_timeout", 0, MaxSeconds),
                MaxRetries = p.Int("max_retries", 0, MaxRetries),
                MockLatencyMs = p.Int("mock_latency_ms", 0, 600_000) ?? 0,
                MockChunkDelayMs = p.Int("mock_chunk_delay_ms", 0, 60_000) ?? 0,
                MockResponse = p.String("mock_response"),
                Mode = info?.String("mode"),
                InputCostPerToken = info?.Decimal("input_cost_per_token") ?? p.Decimal("input_cost_per_token"),
                OutputCostPerToken = info?.Decimal("output_cost_per_token") ?? p.Decimal("output_cost_per_token"),
                EmbeddingDimensions = info?.Int("output_vector_size", 1, 16384) ?? 1536,
                LiteLlmParams = p.Raw(),
                ModelInfo = info?.Raw() ?? new Dictionary<string, object?>(),
            });
        }
        return (models, false);
    }

    private static Func<string, string?> NameLookup(ConfigReader top) => name => top.Resolve($"os.environ/{name}", name) as string;

    /// <summary>The models a config without <c>model_list</c> gets: a chat model and an embedding model.</summary>
    public static IReadOnlyList<ModelDeployment> BuiltInModels() =>
    [
        BuiltIn("mock-chat", "chat"),
        BuiltIn("mock-embedding", "embedding"),
    ];

    private static ModelDeployment BuiltIn(string name, string mode) => new()
    {
        ModelName = name,
        Id = Hash($"builtin\n{name}"),
        Model = $"mock/{name}",
        Provider = Providers.Mock,
        UpstreamModel = name,
        Mode = mode,
        InputCostPerToken = 0,
        OutputCostPerToken = 0,
        LiteLlmParams = new Dictionary<string, object?> { ["model"] = $"mock/{name}" },
        ModelInfo = new Dictionary<string, object?> { ["mode"] = mode },
    };

    private static GeneralSettings ReadGeneral(ConfigReader? s, Func<string, string?> env, List<string> warnings)
    {
        s?.WarnUnknown(GeneralSettingsKeys);
        var masterKey = s?.String("master_key") ?? NonEmpty(env("LITELLM_MASTER_KEY")) ?? NonEmpty(env("HOTDASH_MASTER_KEY"));
        if (masterKey is null && s is not null && s.Map.TryGet("master_key", out var written) && written is string reference)
        {
            // A master key that was meant to be set but is not must not leave the gateway open.
            throw new ConfigException("general_settings.master_key", $"\"{reference}\" resolves to nothing; set that environment variable or remove the key", s.Map.LineOf("master_key"));
        }
        if (masterKey is not null && !masterKey.StartsWith("sk-", StringComparison.Ordinal))
        {
            warnings.Add("general_settings.master_key does not start with sk-; LiteLLM clients and scripts expect it to");
        }
        var rateType = s?.String("token_rate_limit_type") ?? "total";
        if (rateType is not ("input" or "output" or "total"))
        {
            throw new ConfigException("general_settings.token_rate_limit_type", $"must be input, output or total, not \"{rateType}\"", s!.Map.LineOf("token_rate_limit_type"));
        }
        return new GeneralSettings
        {
            MasterKey = masterKey,
            DatabaseUrl = s?.String("database_url") ?? NonEmpty(env("DATABASE_URL")),
            MaxRequestSizeMb = s?.Double("max_request_size_mb", 0.001, 2047) ?? 32,
            MaxResponseSizeMb = s?.Double("max_response_size_mb", 0.001, 2047) ?? 64,
            TokenRateLimitType = rateType,
            Raw = s?.Raw() ?? new Dictionary<string, object?>(),
        };
    }

    private static LiteLlmSettings ReadLiteLlm(ConfigReader? s)
    {
        s?.WarnUnknown(LiteLlmSettingsKeys);
        return new LiteLlmSettings
        {
            NumRetries = s?.Int("num_retries", 0, MaxRetries),
            RequestTimeoutSeconds = s?.Double("request_timeout", 0, MaxSeconds),
            DropParams = s?.Bool("drop_params") ?? false,
            TurnOffMessageLogging = s?.Bool("turn_off_message_logging") ?? false,
            Cache = s?.Bool("cache") ?? false,
            CacheParams = s?.Section("cache_params")?.Raw() ?? new Dictionary<string, object?>(),
            SuccessCallback = s?.StringList("success_callback") ?? [],
            FailureCallback = s?.StringList("failure_callback") ?? [],
            Raw = s?.Raw() ?? new Dictionary<string, object?>(),
        };
    }

    private static RouterSettings ReadRouter(ConfigReader? s)
    {
        s?.WarnUnknown(RouterSettingsKeys);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        if (s?.Section("model_group_alias") is { } alias)
        {
            foreach (var (k, v) in alias.Map.Entries)
            {
                // LiteLLM allows either "alias: group" or "alias: {model: group, hidden: true}".
                aliases[k] = v is ConfigMap m ? alias.Section(k)!.String("model", required: true)! : alias.String(k, required: true)!;
            }
        }
        return new RouterSettings
        {
            RoutingStrategy = s?.String("routing_strategy") ?? "simple-shuffle",
            NumRetries = s?.Int("num_retries", 0, MaxRetries),
            TimeoutSeconds = s?.Double("timeout", 0, MaxSeconds),
            AllowedFails = s?.Int("allowed_fails", 0, 1000) ?? 3,
            CooldownSeconds = s?.Double("cooldown_time", 0, MaxSeconds) ?? 5,
            RedisHost = s?.String("redis_host"),
            RedisPort = s?.Int("redis_port", 1, 65535),
            RedisPassword = s?.String("redis_password"),
            RedisUrl = s?.String("redis_url"),
            ModelGroupAlias = aliases,
            Raw = s?.Raw() ?? new Dictionary<string, object?>(),
        };
    }

    private static HotDashSettings ReadHotDash(ConfigReader? s, Func<string, string?> env)
    {
        s?.WarnUnknown(HotDashKeys);
        int Port(string key, string envName, int fallback)
        {
            var fromEnv = NonEmpty(env(envName));
            if (fromEnv is not null)
            {
                if (!int.TryParse(fromEnv, out var p) || p is < 0 or > 65535)
                {
                    throw new ConfigException(envName, $"must be a port number (0-65535), not \"{fromEnv}\"");
                }
                return p;
            }
            var v = s?.Int(key, 0) ?? fallback;
            if (v > 65535)
            {
                throw new ConfigException($"hotdash.{key}", $"must be a port number (0-65535), not {v}", s!.Map.LineOf(key));
            }
            return v;
        }
        var dataDir = ReadPath(s, "data_dir", env, "HOTDASH_DATA_DIR", "hotdash") ?? Path.Combine(Directory.GetCurrentDirectory(), ".hotdash");
        return new HotDashSettings
        {
            BindAddress = NonEmpty(env("HOTDASH_BIND")) ?? s?.String("bind_address") ?? "0.0.0.0",
            ApiPort = Port("api_port", "HOTDASH_API_PORT", 4000),
            DashboardPort = Port("dashboard_port", "HOTDASH_DASHBOARD_PORT", 3000),
            SiloHttpPort = Port("silo_port", "HOTDASH_SILO_PORT", 3030),
            OrleansSiloPort = Port("orleans_silo_port", "HOTDASH_ORLEANS_SILO_PORT", 11111),
            OrleansGatewayPort = Port("orleans_gateway_port", "HOTDASH_ORLEANS_GATEWAY_PORT", 30000),
            ClusterId = NonEmpty(env("HOTDASH_CLUSTER_ID")) ?? s?.String("cluster_id") ?? "hotdash",
            ServiceId = NonEmpty(env("HOTDASH_SERVICE_ID")) ?? s?.String("service_id") ?? "hotdash",
            GatewayUrl = NonEmpty(env("HOTDASH_GATEWAY_URL")) ?? s?.String("gateway_url"),
            AdvertisedAddress = NonEmpty(env("HOTDASH_ADVERTISED_ADDRESS")) ?? s?.String("advertised_address"),
            DbSchema = ReadDbSchema(s, env),
            DataDir = dataDir,
            Tracing = ReadTracing(s?.Section("tracing"), env),
            Analytics = ReadAnalytics(s?.Section("analytics"), env, dataDir),
            Archive = ReadArchive(s?.Section("archive"), env, dataDir),
            Raw = s?.Raw() ?? new Dictionary<string, object?>(),
        };
    }

    private static TracingSettings ReadTracing(ConfigReader? s, Func<string, string?> env)
    {
        s?.WarnUnknown(TracingKeys);
        var projectId = NonEmpty(env("HOTDASH_TRACING_PROJECT")) is { } fromEnv
            ? CheckProjectId(fromEnv, "HOTDASH_TRACING_PROJECT", null)
            : CheckProjectId(s?.String("project_id") ?? "default", "hotdash.tracing.project_id", s?.Map.LineOf("project_id"));
        var environment = NonEmpty(env("LANGFUSE_TRACING_ENVIRONMENT")) is { } envEnvironment
            ? CheckEnvironment(envEnvironment, "LANGFUSE_TRACING_ENVIRONMENT", null)
            : CheckEnvironment(s?.String("environment") ?? "default", "hotdash.tracing.environment", s?.Map.LineOf("environment"));
        return new TracingSettings
        {
            Enabled = EnvBool(env, "HOTDASH_TRACING") ?? s?.Bool("enabled") ?? true,
            ProjectId = projectId,
            Environment = environment,
            BufferCapacity = EnvInt(env, "HOTDASH_TRACING_BUFFER_CAPACITY", 1, 10_000_000) ?? s?.Int("buffer_capacity", 1, 10_000_000) ?? 100_000,
            BatchSize = EnvInt(env, "HOTDASH_TRACING_BATCH_SIZE", 1, 100_000) ?? s?.Int("batch_size", 1, 100_000) ?? 1_000,
            FlushInterval = TimeSpan.FromMilliseconds(
                EnvInt(env, "HOTDASH_TRACING_FLUSH_INTERVAL_MS", 1, 10_000) ?? s?.Int("flush_interval_ms", 1, 10_000) ?? 1_000),
            Shards = EnvInt(env, "HOTDASH_TRACING_SHARDS", 1, 256) ?? s?.Int("shards", 1, 256) ?? 4,
        };
    }

    // The project id becomes part of archive keys and folder names: letters, digits and - _ . only.
    private static string CheckProjectId(string value, string keyPath, int? line)
    {
        if (value.Length is 0 or > 128 || value is "." or ".." || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ConfigException(keyPath, $"must be 1-128 letters, digits, '-', '_' or '.', not \"{value}\"", line);
        }
        return value;
    }

    // Langfuse refuses other environment names at ingestion; a bad one is a config error, not a trace error per request.
    private static string CheckEnvironment(string value, string keyPath, int? line)
    {
        if (value.Length is 0 or > 40 || value.StartsWith("langfuse", StringComparison.Ordinal)
            || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
        {
            throw new ConfigException(keyPath, $"must be 1-40 lowercase letters, digits, '-' or '_', not starting with \"langfuse\", not \"{value}\"", line);
        }
        return value;
    }

    private static AnalyticsSettings ReadAnalytics(ConfigReader? s, Func<string, string?> env, string dataDir)
    {
        s?.WarnUnknown(AnalyticsKeys);
        string? url = null, urlUser = null, urlPassword = null;
        var (rawUrl, urlKey, urlLine) = NonEmpty(env("CLICKHOUSE_URL")) is { } fromEnv
            ? (fromEnv, "CLICKHOUSE_URL", (int?)null)
            : (NonEmpty(s?.String("clickhouse_url")), "hotdash.analytics.clickhouse_url", s?.Map.LineOf("clickhouse_url"));
        if (rawUrl is not null)
        {
            (url, urlUser, urlPassword) = ParseClickHouseUrl(rawUrl.Trim(), urlKey, urlLine);
        }

        var (database, databaseKey, databaseLine) = NonEmpty(env("CLICKHOUSE_DB")) is { } dbFromEnv
            ? (dbFromEnv, "CLICKHOUSE_DB", (int?)null)
            : (NonEmpty(s?.String("clickhouse_database")) ?? "default", "hotdash.analytics.clickhouse_database", s?.Map.LineOf("clickhouse_database"));
        if (database.Length > 128 || !database.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ConfigException(databaseKey, $"must be a ClickHouse database name (letters, digits and _), not \"{database}\"", databaseLine);
        }

        return new AnalyticsSettings
        {
            ClickHouseUrl = url,
            ClickHouseUser = NonEmpty(env("CLICKHOUSE_USER")) ?? NonEmpty(s?.String("clickhouse_user")) ?? urlUser,
            ClickHousePassword = NonEmpty(env("CLICKHOUSE_PASSWORD")) ?? NonEmpty(s?.String("clickhouse_password")) ?? urlPassword,
            ClickHouseDatabase = database,
            RetentionDays = EnvInt(env, "HOTDASH_RETENTION_DAYS", 1, 36_500) ?? s?.Int("retention_days", 1, 36_500),
            DuckDbPath = ReadPath(s, "duckdb_path", env, "HOTDASH_DUCKDB_PATH", "hotdash.analytics") ?? Path.Combine(dataDir, "analytics.duckdb"),
        };
    }

    // The URL may carry user:password@ (as some deployments write it); they move to the credentials so the URL can be logged.
    private static (string Url, string? User, string? Password) ParseClickHouseUrl(string value, string keyPath, int? line)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw new ConfigException(keyPath, "must be the http(s) URL of ClickHouse's HTTP interface, e.g. http://clickhouse:8123", line);
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ConfigException(keyPath, $"must be a plain http(s) URL without query or fragment (set the database with clickhouse_database or CLICKHOUSE_DB), not {uri.Scheme}://{uri.Host}:{uri.Port}{uri.AbsolutePath}?...", line);
        }
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var clean = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.GetLeftPart(UriPartial.Path);
        return (clean, NonEmpty(user), NonEmpty(password));
    }

    private static ArchiveSettings ReadArchive(ConfigReader? s, Func<string, string?> env, string dataDir)
    {
        s?.WarnUnknown(ArchiveKeys);
        // The first of the environment variables that is set wins over the file; the fallbacks come after the file.
        (string? Value, string KeyPath, int? Line) Pick(string key, string[] overrides, string[] fallbacks)
        {
            foreach (var name in overrides)
            {
                if (NonEmpty(env(name)) is { } v)
                {
                    return (v, name, null);
                }
            }
            if (NonEmpty(s?.String(key)) is { } written)
            {
                return (written, $"hotdash.archive.{key}", s!.Map.LineOf(key));
            }
            foreach (var name in fallbacks)
            {
                if (NonEmpty(env(name)) is { } v)
                {
                    return (v, name, null);
                }
            }
            return (null, $"hotdash.archive.{key}", null);
        }

        var endpoint = Pick("s3_endpoint", ["S3_ENDPOINT", "LANGFUSE_S3_EVENT_UPLOAD_ENDPOINT"], []);
        string? s3Endpoint = null;
        if (endpoint.Value is { } e)
        {
            if (!Uri.TryCreate(e.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
                || uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            {
                throw new ConfigException(endpoint.KeyPath, "must be an http(s) URL of the S3 endpoint without path or credentials, e.g. http://minio:9000", endpoint.Line);
            }
            s3Endpoint = $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        }

        var bucket = Pick("bucket", ["S3_BUCKET", "LANGFUSE_S3_EVENT_UPLOAD_BUCKET"], []);
        var bucketName = bucket.Value?.Trim() ?? "hotdash-events";
        if (!IsBucketName(bucketName))
        {
            throw new ConfigException(bucket.KeyPath, $"must be an S3 bucket name (3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit), not \"{bucketName}\"", bucket.Line);
        }

        var accessKey = Pick("access_key", ["S3_ACCESS_KEY", "LANGFUSE_S3_EVENT_UPLOAD_ACCESS_KEY_ID"], ["AWS_ACCESS_KEY_ID"]);
        var secretKey = Pick("secret_key", ["S3_SECRET_KEY", "LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY"], ["AWS_SECRET_ACCESS_KEY"]);
        if (s3Endpoint is not null && (accessKey.Value is null) != (secretKey.Value is null))
        {
            var missing = accessKey.Value is null ? accessKey.KeyPath : secretKey.KeyPath;
            throw new ConfigException(missing, "is required when the other S3 key is set (S3 requests are signed with both)");
        }

        var region = Pick("region", ["S3_REGION", "LANGFUSE_S3_EVENT_UPLOAD_REGION"], ["AWS_REGION"]);
        var regionName = region.Value?.Trim() ?? "us-east-1";
        if (regionName.Length > 64 || !regionName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ConfigException(region.KeyPath, $"must be a region name such as us-east-1, not \"{regionName}\"", region.Line);
        }

        // The prefix may be empty on purpose (objects at the bucket's root), so an empty value is not "unset".
        var (prefix, prefixKey, prefixLine) = NonEmpty(env("S3_PREFIX")) is { } p1 ? (p1, "S3_PREFIX", (int?)null)
            : NonEmpty(env("LANGFUSE_S3_EVENT_UPLOAD_PREFIX")) is { } p2 ? (p2, "LANGFUSE_S3_EVENT_UPLOAD_PREFIX", null)
            : (s?.String("prefix") ?? "events/", "hotdash.archive.prefix", s?.Map.LineOf("prefix"));
        if (prefix.StartsWith('/') || prefix.Contains("..", StringComparison.Ordinal) || prefix.Any(char.IsControl))
        {
            throw new ConfigException(prefixKey, $"must be a relative key prefix such as events/, not \"{prefix}\"", prefixLine);
        }

        return new ArchiveSettings
        {
            S3Endpoint = s3Endpoint,
            Bucket = bucketName,
            AccessKey = accessKey.Value,
            SecretKey = secretKey.Value,
            Region = regionName,
            Prefix = prefix,
            Folder = ReadPath(s, "folder", env, "HOTDASH_ARCHIVE_DIR", "hotdash.archive") ?? Path.Combine(dataDir, "archive"),
        };
    }

    private static bool IsBucketName(string s) =>
        s.Length is >= 3 and <= 63 && IsLowerAlnum(s[0]) && IsLowerAlnum(s[^1])
        && s.All(c => IsLowerAlnum(c) || c is '.' or '-') && !s.Contains("..", StringComparison.Ordinal);

    private static bool IsLowerAlnum(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    // A file-system path from the environment or the file, made absolute against the current directory.
    private static string? ReadPath(ConfigReader? s, string key, Func<string, string?> env, string envName, string section)
    {
        var (value, keyPath, line) = NonEmpty(env(envName)) is { } fromEnv
            ? (fromEnv, envName, (int?)null)
            : (NonEmpty(s?.String(key)), $"{section}.{key}", s?.Map.LineOf(key));
        if (value is null)
        {
            return null;
        }
        try
        {
            if (value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                throw new ArgumentException("invalid characters");
            }
            return Path.GetFullPath(value.Trim());
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigException(keyPath, $"must be a file-system path, not \"{value}\"", line);
        }
    }

    private static int? EnvInt(Func<string, string?> env, string name, int min, int max)
    {
        if (NonEmpty(env(name)) is not { } value)
        {
            return null;
        }
        if (!int.TryParse(value.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            throw new ConfigException(name, $"must be a whole number, not \"{value}\"");
        }
        if (n < min || n > max)
        {
            throw new ConfigException(name, $"must be between {min} and {max}, not {n}");
        }
        return n;
    }

    private static bool? EnvBool(Func<string, string?> env, string name) => NonEmpty(env(name))?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        var other => throw new ConfigException(name, $"must be true or false, not \"{other}\""),
    };

    // Lower-case, unquoted SQL names only: the schema is spliced into DDL and Npgsql's search path.
    private static string ReadDbSchema(ConfigReader? s, Func<string, string?> env)
    {
        var (value, keyPath, line) = NonEmpty(env("HOTDASH_DB_SCHEMA")) is { } fromEnv
            ? (fromEnv, "HOTDASH_DB_SCHEMA", (int?)null)
            : (s?.String("db_schema") ?? "hotdash", "hotdash.db_schema", s?.Map.LineOf("db_schema"));
        if (!IsSchemaName(value))
        {
            throw new ConfigException(keyPath, $"must be a lower-case SQL name (a-z, 0-9 and _, not starting with a digit or pg_, at most 63 characters), not \"{value}\"", line);
        }
        return value;
    }

    private static bool IsSchemaName(string s) =>
        s.Length is > 0 and <= 63 && !s.StartsWith("pg_", StringComparison.Ordinal) && s[0] is (>= 'a' and <= 'z') or '_'
        && s.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    private static InfrastructureSettings ResolveInfrastructure(
        GeneralSettings general, int? databaseUrlLine, LiteLlmSettings litellm, RouterSettings router, Func<string, string?> env, List<string> warnings)
    {
        DatabaseTarget? database = null;
        string? databaseSource = null;
        if (general.DatabaseUrl is { } databaseUrl)
        {
            // Raw holds the file's values, os.environ/ resolved: a database_url that resolved to nothing fell back to DATABASE_URL.
            var fromFile = general.Raw.GetValueOrDefault("database_url") is string { Length: > 0 };
            databaseSource = fromFile ? "general_settings.database_url" : "DATABASE_URL";
            try
            {
                database = DatabaseConnection.FromUrl(databaseUrl, databaseSource);
            }
            catch (ConfigException e) when (fromFile)
            {
                throw new ConfigException(e.KeyPath, e.Problem, databaseUrlLine);
            }
            foreach (var p in database.IgnoredParameters)
            {
                warnings.Add($"{databaseSource}: the URL parameter {p} is ignored");
            }
        }

        string? redis = null, source = null;
        if (NonEmpty(env("REDIS_URL")) is { } url)
        {
            (redis, source) = (RedisConnection.FromUrl(url, "REDIS_URL"), "REDIS_URL");
        }
        else if (router.RedisUrl is { } routerUrl)
        {
            (redis, source) = (RedisConnection.FromUrl(routerUrl, "router_settings.redis_url"), "router_settings.redis_url");
        }
        else if (router.RedisHost is { } host)
        {
            (redis, source) = (RedisConnection.FromParts(host, router.RedisPort ?? 6379, router.RedisPassword), "router_settings.redis_host");
        }
        else if (litellm.CacheParams.TryGetValue("type", out var type) && type is "redis" or "redis-semantic")
        {
            var cp = litellm.CacheParams;
            if ((cp.GetValueOrDefault("url") ?? cp.GetValueOrDefault("redis_url")) is string cacheUrl)
            {
                (redis, source) = (RedisConnection.FromUrl(cacheUrl, "litellm_settings.cache_params.url"), "litellm_settings.cache_params.url");
            }
            else
            {
                var h = cp.GetValueOrDefault("host") as string ?? NonEmpty(env("REDIS_HOST"));
                if (h is not null)
                {
                    var portValue = cp.GetValueOrDefault("port") ?? NonEmpty(env("REDIS_PORT"));
                    if (!int.TryParse(Convert.ToString(portValue ?? 6379, System.Globalization.CultureInfo.InvariantCulture), out var port) || port is < 1 or > 65535)
                    {
                        throw new ConfigException("litellm_settings.cache_params.port", $"must be a port number, not {ConfigReader.Describe(portValue)}");
                    }
                    (redis, source) = (RedisConnection.FromParts(h, port, cp.GetValueOrDefault("password") as string ?? NonEmpty(env("REDIS_PASSWORD"))), "litellm_settings.cache_params");
                }
            }
        }
        return new InfrastructureSettings
        {
            RedisConnectionString = redis,
            RedisSource = source,
            DatabaseUrl = general.DatabaseUrl,
            Database = database,
            DatabaseSource = databaseSource,
        };
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
}
