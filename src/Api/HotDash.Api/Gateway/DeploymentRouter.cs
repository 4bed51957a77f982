using System.Collections.Concurrent;
using HotDash.Hosting.Configuration;

namespace HotDash.Api.Gateway;

/// <summary>
/// Chooses a deployment within a model group: LiteLLM's simple-shuffle (random, weighted by
/// <c>weight</c>, else <c>rpm</c>, else <c>tpm</c>), skipping deployments in cooldown. Cooldowns come
/// from this gateway's own failures at once and from the cluster through the heartbeat.
/// </summary>
internal sealed class DeploymentRouter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> cooldowns = new(StringComparer.Ordinal);

    public ModelDeployment? Choose(ModelDeployment[] group, ReadOnlySpan<string> exclude)
    {
        if (group.Length == 1)
        {
            // As LiteLLM: a lone deployment is never cooled down, there is nothing else to try.
            return exclude.Contains(group[0].Id) ? null : group[0];
        }

        var now = time.GetUtcNow();
        Span<double> weights = group.Length <= 64 ? stackalloc double[group.Length] : new double[group.Length];
        double total = 0;
        for (var i = 0; i < group.Length; i++)
        {
            var d = group[i];
            var usable = !exclude.Contains(d.Id) && !(cooldowns.TryGetValue(d.Id, out var until) && until > now);
            weights[i] = usable ? Weight(d) : 0;
            total += weights[i];
        }
        if (total <= 0)
        {
            return null;
        }
        var pick = Random.Shared.NextDouble() * total;
        for (var i = 0; i < group.Length; i++)
        {
            pick -= weights[i];
            if (pick < 0 && weights[i] > 0)
            {
                return group[i];
            }
        }
        for (var i = group.Length - 1; i >= 0; i--)
        {
            if (weights[i] > 0)
            {
                return group[i];
            }
        }
        return null;
    }

    /// <summary>The earliest moment a deployment of the group comes out of cooldown (for retry-after).</summary>
    public DateTimeOffset? EarliestAvailable(ModelDeployment[] group)
    {
        DateTimeOffset? earliest = null;
        foreach (var d in group)
        {
            if (cooldowns.TryGetValue(d.Id, out var until) && (earliest is null || until < earliest))
            {
                earliest = until;
            }
        }
        return earliest;
    }

    public void CoolDown(string deploymentId, DateTimeOffset until) =>
        cooldowns.AddOrUpdate(deploymentId, until, (_, existing) => existing > until ? existing : until);

    public void ReplaceClusterCooldowns(IEnumerable<(string Id, DateTimeOffset Until)> current)
    {
        var now = time.GetUtcNow();
        foreach (var (id, until) in current)
        {
            CoolDown(id, until);
        }
        foreach (var (id, until) in cooldowns)
        {
            if (until <= now)
            {
                cooldowns.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, until));
            }
        }
    }

    public bool IsCoolingDown(string deploymentId) =>
        cooldowns.TryGetValue(deploymentId, out var until) && until > time.GetUtcNow();

    private static double Weight(ModelDeployment d) =>
        d.LiteLlmParams.TryGetValue("weight", out var w) && w is long or double ? Math.Max(0.0001, Convert.ToDouble(w, System.Globalization.CultureInfo.InvariantCulture))
        : d.Rpm is > 0 ? d.Rpm.Value
        : d.Tpm is > 0 ? d.Tpm.Value
        : 1;
}
