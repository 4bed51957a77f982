namespace HotDash.Hosting.Configuration;

/// <summary><c>general_settings</c>.</summary>
public sealed class GeneralSettings
{
    /// <summary><c>master_key</c> (or <c>LITELLM_MASTER_KEY</c> / <c>HOTDASH_MASTER_KEY</c>).</summary>
    public string? MasterKey { get; init; }

    /// <summary><c>database_url</c> (or <c>DATABASE_URL</c>).</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary><c>max_request_size_mb</c>: bodies above it get 413 (default 32).</summary>
    public double MaxRequestSizeMb { get; init; } = 32;

    /// <summary><c>max_response_size_mb</c>: upstream non-streamed answers above it are refused (default 64).</summary>
    public double MaxResponseSizeMb { get; init; } = 64;

    /// <summary><c>token_rate_limit_type</c>: <c>input</c>, <c>output</c> or <c>total</c> (default).</summary>
    public string TokenRateLimitType { get; init; } = "total";

    /// <summary>Every key as written (resolved).</summary>
    public IReadOnlyDictionary<string, object?> Raw { get; init; } = new Dictionary<string, object?>();
}
