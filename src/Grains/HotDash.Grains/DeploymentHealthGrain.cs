using HotDash.Grains.Logging;
using Microsoft.Extensions.Logging;

namespace HotDash.Grains;

/// <summary>
/// Failures of one deployment (key: the deployment id) over a sliding minute, shared by every gateway.
/// When the failures counted since the last cooldown reach <see cref="DeploymentFailure.AllowedFails"/>
/// (0 counts as 1: cool down on the first failure), the deployment cools down for
/// <see cref="DeploymentFailure.CooldownTime"/> and the registry is told, so every router skips it.
/// </summary>
/// <remarks>
/// State is in memory only, on purpose: failures older than a minute no longer count and a cooldown
/// lasts seconds, so losing it with a silo costs at most one more round of failures; persisting it
/// would add a storage write to every failed upstream call, exactly when providers are struggling.
/// </remarks>
public sealed class DeploymentHealthGrain(TimeProvider time, ILogger<DeploymentHealthGrain> logger) : Grain, IDeploymentHealthGrain
{
    /// <summary>How far back failures count.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    // A failure storm must not grow memory without bound; only the count up to the threshold matters.
    private const int MaxRemembered = 10_000;

    private readonly Queue<DateTimeOffset> _failures = new();
    private DeploymentCooldown? _cooldown;
    // Failures before this instant led to the last cooldown; after it ends the deployment starts afresh.
    private DateTimeOffset _countFrom = DateTimeOffset.MinValue;
    private string? _lastError;

    public async Task<DeploymentCooldown?> ReportFailure(DeploymentFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var now = time.GetUtcNow();
        Prune(now);
        if (_failures.Count == MaxRemembered)
        {
            _failures.Dequeue();
        }
        _failures.Enqueue(now);
        _lastError = $"{failure.StatusCode} {failure.Message}";

        if (CooldownInForce(now) is { } current)
        {
            // Gateways that have not yet heard of the cooldown keep failing; that must not stretch it.
            return current;
        }
        if (failure.CooldownTime <= TimeSpan.Zero)
        {
            return null;
        }

        var counted = CountSince(_countFrom);
        var threshold = Math.Max(1, failure.AllowedFails);
        if (counted < threshold)
        {
            return null;
        }

        var cooldown = new DeploymentCooldown(
            this.GetPrimaryKeyString(),
            now + failure.CooldownTime,
            $"{counted} failure(s) within {Window.TotalSeconds:0} s (allowed_fails {failure.AllowedFails}); last: {_lastError}");
        _cooldown = cooldown;
        _countFrom = now.AddTicks(1);
        HealthLog.CoolingDown(logger, cooldown.DeploymentId, counted, failure.CooldownTime.TotalSeconds, _lastError);
        // One-way: the registry hands it to every gateway on its next heartbeat.
        await GrainFactory.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey).SetCooldown(cooldown);
        return cooldown;
    }

    public Task<DeploymentHealth> GetHealth()
    {
        var now = time.GetUtcNow();
        Prune(now);
        return Task.FromResult(new DeploymentHealth(this.GetPrimaryKeyString(), _failures.Count, CooldownInForce(now)?.Until, _lastError));
    }

    private DeploymentCooldown? CooldownInForce(DateTimeOffset now)
    {
        if (_cooldown is { } c && c.Until <= now)
        {
            _cooldown = null;
        }
        return _cooldown;
    }

    private void Prune(DateTimeOffset now)
    {
        var oldest = now - Window;
        while (_failures.TryPeek(out var at) && at <= oldest)
        {
            _failures.Dequeue();
        }
    }

    private int CountSince(DateTimeOffset from)
    {
        if (from == DateTimeOffset.MinValue)
        {
            return _failures.Count;
        }
        var n = 0;
        foreach (var at in _failures)
        {
            if (at >= from)
            {
                n++;
            }
        }
        return n;
    }
}
