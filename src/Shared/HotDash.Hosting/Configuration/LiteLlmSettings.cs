namespace HotDash.Hosting.Configuration;

/// <summary><c>litellm_settings</c>. Keys later features implement are kept in <see cref="Raw"/>.</summary>
public sealed class LiteLlmSettings
{
    /// <summary><c>num_retries</c>: retries on another deployment of the group.</summary>
    public int? NumRetries { get; init; }

    /// <summary><c>request_timeout</c> in seconds: the default upstream timeout.</summary>
    public double? RequestTimeoutSeconds { get; init; }

    /// <summary><c>drop_params</c>.</summary>
    public bool DropParams { get; init; }

    /// <summary><c>cache</c>: caching on.</summary>
    public bool Cache { get; init; }

    /// <summary><c>cache_params</c> as written.</summary>
    public IReadOnlyDictionary<string, object?> CacheParams { get; init; } = new Dictionary<string, object?>();

    /// <summary><c>success_callback</c>, e.g. <c>["langfuse"]</c>.</summary>
    public IReadOnlyList<string> SuccessCallback { get; init; } = [];

    /// <summary><c>failure_callback</c>.</summary>
    public IReadOnlyList<string> FailureCallback { get; init; } = [];

    /// <summary><c>turn_off_message_logging</c>: traces keep metadata, usage and cost but not the messages and responses.</summary>
    public bool TurnOffMessageLogging { get; init; }

    /// <summary>Every key as written (resolved).</summary>
    public IReadOnlyDictionary<string, object?> Raw { get; init; } = new Dictionary<string, object?>();
}
