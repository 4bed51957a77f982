namespace HotDash.Hosting.Configuration;

/// <summary><c>router_settings</c>.</summary>
public sealed class RouterSettings
{
    /// <summary><c>routing_strategy</c>: <c>simple-shuffle</c> (default), <c>least-busy</c>, ...</summary>
    public string RoutingStrategy { get; init; } = "simple-shuffle";

    /// <summary><c>num_retries</c>.</summary>
    public int? NumRetries { get; init; }

    /// <summary><c>timeout</c> in seconds.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary><c>allowed_fails</c>: failures in a minute before a deployment cools down (default 3).</summary>
    public int AllowedFails { get; init; } = 3;

    /// <summary><c>cooldown_time</c> in seconds (default 5).</summary>
    public double CooldownSeconds { get; init; } = 5;

    /// <summary><c>redis_host</c>: with it, Redis clustering and grain storage.</summary>
    public string? RedisHost { get; init; }

    /// <summary><c>redis_port</c> (default 6379).</summary>
    public int? RedisPort { get; init; }

    /// <summary><c>redis_password</c>.</summary>
    public string? RedisPassword { get; init; }

    /// <summary><c>redis_url</c>: <c>redis://[:password@]host:port[/db]</c>.</summary>
    public string? RedisUrl { get; init; }

    /// <summary><c>model_group_alias</c>: alias name to model group.</summary>
    public IReadOnlyDictionary<string, string> ModelGroupAlias { get; init; } = new Dictionary<string, string>();

    /// <summary>Every key as written (resolved).</summary>
    public IReadOnlyDictionary<string, object?> Raw { get; init; } = new Dictionary<string, object?>();
}
