using HotDash.Hosting.Health;
using HotDash.Hosting.Configuration;

namespace HotDash.Silo.Health;

/// <summary>Works out whether this silo is ready: it is an active member, the cluster answers, Redis and PostgreSQL (if configured) answer, the analytics store and the archive are migrated and answer.</summary>
public sealed class SiloReadiness(
    HotDashConfig config,
    ILocalSiloDetails localSilo,
    IClusterMembershipService membership,
    IGrainFactory grains,
    RedisProbe redis,
    DatabaseProbe database,
    AnalyticsProbe analytics)
{
    private static readonly TimeSpan ManagementTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Builds the readiness report; never throws for an unhealthy cluster.</summary>
    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var redisTask = redis.PingAsync(cancellationToken);
        var dbTask = database.PingAsync(cancellationToken);
        var storeTask = analytics.CheckStoreAsync(cancellationToken);
        var archiveTask = analytics.CheckArchiveAsync(cancellationToken);
        var status = membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress);
        var active = status == SiloStatus.Active ? await CountActiveSilosAsync(cancellationToken) : 0;
        var redisStatus = await redisTask;
        var dbStatus = await dbTask;
        var store = await storeTask;
        var archive = await archiveTask;

        // A store that does not answer makes the silo unready, as LiteLLM does for its database: traces would only queue.
        var healthy = status == SiloStatus.Active && active > 0 && redisStatus is null or "connected" && dbStatus is null or "connected"
            && store.IsConnected && archive.IsConnected;
        return new ReadinessReport(
            healthy ? "healthy" : "unhealthy",
            "silo",
            new SiloState(status.ToString().ToLowerInvariant(), localSilo.SiloAddress.Endpoint.ToString()),
            new ClusterState(active),
            config.Infrastructure.RedisConnectionString is null ? "memory" : "redis",
            redisStatus,
            dbStatus,
            store,
            archive);
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
