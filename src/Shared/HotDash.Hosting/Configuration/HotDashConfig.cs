namespace HotDash.Hosting.Configuration;

/// <summary>
/// The whole configuration of a HotDash deployment, read from one LiteLLM-format <c>config.yaml</c>
/// plus the environment. The same object configures the silo, the gateway and the dashboard.
/// </summary>
public sealed class HotDashConfig
{
    /// <summary>The file it was read from, or null when running on embedded defaults.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The model deployments (<c>model_list</c>); the built-in mock models when none are configured.</summary>
    public required IReadOnlyList<ModelDeployment> ModelList { get; init; }

    /// <summary>True when <see cref="ModelList"/> is the built-in mock list because the config named no models.</summary>
    public bool UsesBuiltInModels { get; init; }

    /// <summary><c>litellm_settings</c>.</summary>
    public required LiteLlmSettings LiteLlmSettings { get; init; }

    /// <summary><c>router_settings</c>.</summary>
    public required RouterSettings RouterSettings { get; init; }

    /// <summary><c>general_settings</c>.</summary>
    public required GeneralSettings GeneralSettings { get; init; }

    /// <summary>
    /// Every top-level section as written, <c>os.environ/</c> references resolved: what later features
    /// (<c>guardrails</c>, <c>credential_list</c>, <c>pass_through_endpoints</c>, ...) read.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Sections { get; init; } = new Dictionary<string, object?>();

    /// <summary><c>environment_variables</c>: exported into the process before <c>os.environ/</c> references are resolved.</summary>
    public required IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; }

    /// <summary>The HotDash-only <c>hotdash:</c> section.</summary>
    public required HotDashSettings HotDash { get; init; }

    /// <summary>Resolved infrastructure: which real services are configured.</summary>
    public required InfrastructureSettings Infrastructure { get; init; }

    /// <summary>The response cache (<c>litellm_settings.cache</c>, <c>cache_params</c>, <c>hotdash.cache</c>); <see cref="CacheSettings.Off"/> unless turned on.</summary>
    public CacheSettings Cache { get; init; } = CacheSettings.Off;

    /// <summary>Keys HotDash does not know, and other non-fatal remarks, to be logged at start.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The master key, from <c>general_settings.master_key</c>, <c>LITELLM_MASTER_KEY</c> or <c>HOTDASH_MASTER_KEY</c>.</summary>
    public string? MasterKey => GeneralSettings.MasterKey;
}
