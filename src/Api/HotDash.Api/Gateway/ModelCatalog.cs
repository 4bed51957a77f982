using System.Collections.Frozen;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;

namespace HotDash.Api.Gateway;

/// <summary>The configured model groups (deployments sharing a <c>model_name</c>) and aliases, frozen at start.</summary>
internal sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, ModelDeployment[]> groups;
    private readonly FrozenDictionary<string, ModelPrice> prices;

    public ModelCatalog(HotDashConfig config)
    {
        var byName = config.ModelList.GroupBy(m => m.ModelName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        foreach (var (alias, target) in config.RouterSettings.ModelGroupAlias)
        {
            if (byName.TryGetValue(target, out var deployments) && !byName.ContainsKey(alias))
            {
                byName[alias] = deployments;
            }
        }
        groups = byName.ToFrozenDictionary(StringComparer.Ordinal);
        prices = config.ModelList.ToFrozenDictionary(d => d.Id, PriceTable.For, StringComparer.Ordinal);
        PublicNames = [.. config.ModelList.Select(m => m.ModelName).Distinct(StringComparer.Ordinal)];
        Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    /// <summary>The model names clients can send, in config order (aliases excluded, as LiteLLM lists them).</summary>
    public IReadOnlyList<string> PublicNames { get; }

    /// <summary>When this gateway loaded its models (the <c>created</c> field of /v1/models).</summary>
    public long Created { get; }

    /// <summary>The deployment's price, resolved once at start.</summary>
    public ModelPrice PriceOf(ModelDeployment deployment) => prices[deployment.Id];

    public bool TryGetGroup(string model, out ModelDeployment[] deployments) =>
        groups.TryGetValue(model, out deployments!);

    /// <summary>"gpt-4o, mock-chat, ..." for error messages, shortened past 20 names.</summary>
    public string KnownList() =>
        PublicNames.Count <= 20 ? string.Join(", ", PublicNames) : string.Join(", ", PublicNames.Take(20)) + $", and {PublicNames.Count - 20} more";
}
