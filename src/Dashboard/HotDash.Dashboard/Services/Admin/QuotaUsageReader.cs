using HotDash.Dashboard.Hosting;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>
/// Live quota usage of teams, keys and users, read from their <see cref="IQuotaGrain"/> (keys by
/// <see cref="QuotaSubjects"/>). Bounded by <see cref="HotDashDashboardOptions.ClusterCallTimeout"/>; an unreachable
/// cluster gives null, so a page shows "unavailable" instead of failing.
/// </summary>
public sealed class QuotaUsageReader(IClusterClient client, IOptions<HotDashDashboardOptions> options, TimeProvider time)
{
    /// <summary>The quota of a team.</summary>
    public Task<QuotaStatus?> TeamAsync(string teamId, CancellationToken ct = default) => ReadAsync(QuotaSubjects.Team(teamId), ct);

    /// <summary>The quota of a virtual key by its hash (<c>token</c>).</summary>
    public Task<QuotaStatus?> KeyAsync(string keyHash, CancellationToken ct = default) => ReadAsync(QuotaSubjects.Key(keyHash), ct);

    /// <summary>The quota of a user.</summary>
    public Task<QuotaStatus?> UserAsync(string userId, CancellationToken ct = default) => ReadAsync(QuotaSubjects.User(userId), ct);

    private async Task<QuotaStatus?> ReadAsync(string subject, CancellationToken ct)
    {
        try
        {
            return await client.GetGrain<IQuotaGrain>(subject).GetStatus().WaitAsync(options.Value.ClusterCallTimeout, time, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
