using System.Collections.Frozen;
using System.Collections.Immutable;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;

namespace HotDash.Api.Gateway;

/// <summary>The configured model groups (deployments sharing a <c>model_name</c>) and aliases, frozen at start.</summary>
internal sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, ModelDeployment[]> groups;
    private readonly FrozenDictionary<string, ModelPrice> prices;
    private readonly FrozenDictionary<string, ModelGroupTraits> traits;

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
        traits = groups.ToFrozenDictionary(g => g.Key, g => ResolveTraits(g.Value), StringComparer.Ordinal);
        PublicNames = [.. config.ModelList.Select(m => m.ModelName).Distinct(StringComparer.Ordinal)];
        Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    /// <summary>The model names clients can send, in config order (aliases excluded, as LiteLLM lists them).</summary>
    public IReadOnlyList<string> PublicNames { get; }

    /// <summary>When this gateway loaded its models (the <c>created</c> field of /v1/models).</summary>
    public long Created { get; }

    /// <summary>The deployment's price, resolved once at start.</summary>
    public ModelPrice PriceOf(ModelDeployment deployment) => prices[deployment.Id];

    /// <summary>The group's estimate price and access groups; <see cref="ModelGroupTraits.Unknown"/> for a name that is no group.</summary>
    public ModelGroupTraits TraitsOf(string model) => traits.GetValueOrDefault(model, ModelGroupTraits.Unknown);

    public bool TryGetGroup(string model, out ModelDeployment[] deployments) =>
        groups.TryGetValue(model, out deployments!);

    /// <summary>"gpt-4o, mock-chat, ..." for error messages, shortened past 20 names.</summary>
    public string KnownList() =>
        PublicNames.Count <= 20 ? string.Join(", ", PublicNames) : string.Join(", ", PublicNames.Take(20)) + $", and {PublicNames.Count - 20} more";

    private ModelGroupTraits ResolveTraits(ModelDeployment[] group)
    {
        var price = PriceTable.Free;
        var access = new List<string>();
        foreach (var d in group)
        {
            var p = prices[d.Id];
            if (p.InputCostPerToken + p.OutputCostPerToken > price.InputCostPerToken + price.OutputCostPerToken)
            {
                price = p;
            }
            switch (d.ModelInfo.GetValueOrDefault("access_groups"))
            {
                case string one when one.Length > 0 && !access.Contains(one):
                    access.Add(one);
                    break;
                case List<object?> many:
                    foreach (var name in many)
                    {
                        if (name is string s && s.Length > 0 && !access.Contains(s))
                        {
                            access.Add(s);
                        }
                    }
                    break;
            }
        }
        return new ModelGroupTraits(price, [.. access]);
    }
}
