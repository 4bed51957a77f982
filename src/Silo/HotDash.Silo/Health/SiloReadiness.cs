using HotDash.Hosting.Health;
using HotDash.Hosting.Configuration;

namespace HotDash.Silo.Health;

/// <summary>Works out whether this silo is ready: it is an active member, the cluster answers, Redis and PostgreSQL (if configured) answer.</summary>
public sealed class SiloReadiness(
    HotDashConfig config,
    ILocalSiloDetails localSilo,
    IClusterMembershipService membership,
    IGrainFactory grains,
    RedisProbe redis,
    DatabaseProbe database)
{
    private static readonly TimeSpan ManagementTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Builds the readiness report; never throws for an unhealthy cluster.</summary>
    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var redisTask = redis.PingAsync(cancellationToken);
        var dbTask = database.PingAsync(cancellationToken);
        var status = membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress);
        var active = status == SiloStatus.Active ? await CountActiveSilosAsync(cancellationToken) : 0;
        var redisStatus = await redisTask;
        var dbStatus = await dbTask;

        var healthy = status == SiloStatus.Active && active > 0 && redisStatus is null or "connected" && dbStatus is null or "connected";
        return new ReadinessReport(
            healthy ? "healthy" : "unhealthy",
            "silo",
            new SiloState(status.ToString().ToLowerInvariant(), localSilo.SiloAddress.Endpoint.ToString()),
            new ClusterState(active),
            config.Infrastructure.RedisConnectionString is null ? "memory" : "redis",
            redisStatus,
            dbStatus);
    }

    private async Task<int> CountActiveSilosAsync(CancellationToken cancellationToken)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ManagementTimeout, cancellationToken);
            return hosts.Count;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or OperationCanceledException)
        {
            return 0;
        }
    }
}
