using System.ComponentModel.DataAnnotations;

namespace HotDash.Api.Gateway;

/// <summary>Limits of the gateway's request path, taken from <c>general_settings</c> and <c>router_settings</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>Largest request body accepted; larger gets 413 (<c>general_settings.max_request_size_mb</c>).</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Retries on another deployment of the group after a retryable failure (<c>num_retries</c>).</summary>
    [Range(0, 20)]
    public int NumRetries { get; set; }

    /// <summary>Default whole-call upstream timeout when a deployment sets none (<c>request_timeout</c> / <c>router_settings.timeout</c>).</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Failures within a minute before a deployment cools down (<c>router_settings.allowed_fails</c>).</summary>
    [Range(0, 1000)]
    public int AllowedFails { get; set; } = 3;

    /// <summary>How long a failing deployment is skipped (<c>router_settings.cooldown_time</c>).</summary>
    public TimeSpan CooldownTime { get; set; } = TimeSpan.FromSeconds(5);
}
