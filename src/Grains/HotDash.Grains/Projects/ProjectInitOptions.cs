using Microsoft.Extensions.Configuration;

namespace HotDash.Grains.Projects;

/// <summary>
/// Langfuse's headless-init variables (<c>LANGFUSE_INIT_*</c>), read from the silo's configuration (the environment,
/// or whatever a test puts there). Only the project and its key pair mean something to HotDash; the organisation and
/// user variables are accepted and ignored (HotDash has no organisations, and the master key is its admin).
/// </summary>
public sealed class ProjectInitOptions
{
    /// <summary>The project to ensure (default <c>default</c>).</summary>
    public const string ProjectIdVariable = "LANGFUSE_INIT_PROJECT_ID";

    /// <summary>Its name.</summary>
    public const string ProjectNameVariable = "LANGFUSE_INIT_PROJECT_NAME";

    /// <summary>The <c>pk-lf-...</c> key to ensure for it.</summary>
    public const string PublicKeyVariable = "LANGFUSE_INIT_PROJECT_PUBLIC_KEY";

    /// <summary>The <c>sk-lf-...</c> key to ensure for it.</summary>
    public const string SecretKeyVariable = "LANGFUSE_INIT_PROJECT_SECRET_KEY";

    /// <summary>Langfuse's other headless-init variables: accepted, and ignored.</summary>
    public static readonly IReadOnlyList<string> IgnoredVariables =
    [
        "LANGFUSE_INIT_ORG_ID", "LANGFUSE_INIT_ORG_NAME", "LANGFUSE_INIT_PROJECT_RETENTION",
        "LANGFUSE_INIT_USER_EMAIL", "LANGFUSE_INIT_USER_NAME", "LANGFUSE_INIT_USER_PASSWORD",
    ];

    /// <summary><c>LANGFUSE_INIT_PROJECT_ID</c>, trimmed; <see langword="null"/> when unset or blank.</summary>
    public string? ProjectId { get; set; }

    /// <summary><c>LANGFUSE_INIT_PROJECT_NAME</c>, trimmed; <see langword="null"/> when unset or blank.</summary>
    public string? ProjectName { get; set; }

    /// <summary><c>LANGFUSE_INIT_PROJECT_PUBLIC_KEY</c>, trimmed; <see langword="null"/> when unset or blank.</summary>
    public string? PublicKey { get; set; }

    /// <summary><c>LANGFUSE_INIT_PROJECT_SECRET_KEY</c>, trimmed; <see langword="null"/> when unset or blank. Never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The names (never the values) of the ignored variables that are set.</summary>
    public IReadOnlyList<string> IgnoredSet { get; set; } = [];

    /// <summary>The project id to ensure: <see cref="ProjectId"/>, else <see cref="DefaultProject.Id"/>.</summary>
    public string EffectiveProjectId => ProjectId ?? DefaultProject.Id;

    /// <summary>The name a new project gets: <see cref="ProjectName"/>, else "Default" for the default project, else its id.</summary>
    public string EffectiveProjectName => ProjectName ?? (EffectiveProjectId == DefaultProject.Id ? DefaultProject.Name : EffectiveProjectId);

    /// <summary>Fills the options from <paramref name="configuration"/>.</summary>
    public void Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ProjectId = Value(configuration, ProjectIdVariable);
        ProjectName = Value(configuration, ProjectNameVariable);
        PublicKey = Value(configuration, PublicKeyVariable);
        SecretKey = Value(configuration, SecretKeyVariable);
        IgnoredSet = [.. IgnoredVariables.Where(name => Value(configuration, name) is not null)];
    }

    private static string? Value(IConfiguration configuration, string name) =>
        configuration[name] is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}
