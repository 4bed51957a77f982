using HotDash.Grains.Logging;
using Microsoft.Extensions.Logging;

namespace HotDash.Grains;

/// <summary>
/// The cluster's list of live gateways and the deployments cooling down (one activation, keyed
/// <see cref="IGatewayRegistryGrain.DefaultKey"/>).
/// </summary>
/// <remarks>
/// State is kept in memory only, on purpose: it is soft state. Every gateway re-reports itself every
/// few seconds and cooldowns last seconds to minutes, so after a silo restart the list is whole again
/// within one heartbeat period, and persisting it would put a storage write on every heartbeat.
/// </remarks>
public sealed class GatewayRegistryGrain(TimeProvider time, ILogger<GatewayRegistryGrain> logger) : Grain, IGatewayRegistryGrain
{
    /// <summary>A gateway not heard from for this long is taken to be gone.</summary>
    public static readonly TimeSpan GatewayExpiry = TimeSpan.FromSeconds(30);

    // Keyed by InstanceId; the time is the silo's receive time, so gateway clock skew cannot keep a dead gateway listed.
    private readonly Dictionary<string, (GatewayHeartbeat Heartbeat, DateTimeOffset HeardAt)> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeploymentCooldown> _cooldowns = new(StringComparer.Ordinal);

    public Task<ImmutableArray<DeploymentCooldown>> Heartbeat(GatewayHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var now = time.GetUtcNow();
        if (!_gateways.ContainsKey(heartbeat.InstanceId))
        {
            RegistryLog.GatewayJoined(logger, heartbeat.InstanceId, heartbeat.Url);
        }
        _gateways[heartbeat.InstanceId] = (heartbeat, now);
        DropExpired(now);
        return Task.FromResult(CooldownsInForce(now));
    }

    public Task<ImmutableArray<GatewayHeartbeat>> GetGateways()
    {
        var now = time.GetUtcNow();
        DropExpired(now);
        var builder = ImmutableArray.CreateBuilder<GatewayHeartbeat>(_gateways.Count);
        foreach (var (heartbeat, _) in _gateways.Values.OrderByDescending(g => g.HeardAt))
        {
            builder.Add(heartbeat);
        }
        return Task.FromResult(builder.MoveToImmutable());
    }

    public Task SetCooldown(DeploymentCooldown cooldown)
    {
        ArgumentNullException.ThrowIfNull(cooldown);
        // Pushes may arrive out of order; the later end wins.
        if (!_cooldowns.TryGetValue(cooldown.DeploymentId, out var existing) || existing.Until < cooldown.Until)
        {
            _cooldowns[cooldown.DeploymentId] = cooldown;
        }
        return Task.CompletedTask;
    }

    private void DropExpired(DateTimeOffset now)
    {
        List<string>? gone = null;
        foreach (var (id, entry) in _gateways)
        {
            if (now - entry.HeardAt >= GatewayExpiry)
            {
                (gone ??= []).Add(id);
            }
        }
        if (gone is null)
        {
            return;
        }
        foreach (var id in gone)
        {
            _gateways.Remove(id);
            RegistryLog.GatewayExpired(logger, id, GatewayExpiry.TotalSeconds);
        }
    }

    private ImmutableArray<DeploymentCooldown> CooldownsInForce(DateTimeOffset now)
    {
        if (_cooldowns.Count == 0)
        {
            return [];
        }
        var builder = ImmutableArray.CreateBuilder<DeploymentCooldown>(_cooldowns.Count);
        List<string>? over = null;
        foreach (var (id, cooldown) in _cooldowns)
        {
            if (cooldown.Until > now)
            {
                builder.Add(cooldown);
            }
            else
            {
                (over ??= []).Add(id);
            }
        }
        if (over is not null)
        {
            foreach (var id in over)
            {
                _cooldowns.Remove(id);
            }
        }
        return builder.ToImmutable();
    }
}
