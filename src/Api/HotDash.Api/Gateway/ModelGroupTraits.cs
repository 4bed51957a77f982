using System.Collections.Immutable;
using HotDash.Hosting.Pricing;

namespace HotDash.Api.Gateway;

/// <summary>What admitting a request to a model group needs to know about the group, resolved once at start.</summary>
/// <param name="EstimatePrice">The price of the group's most expensive deployment: the reservation's cost estimate must not come out low.</param>
/// <param name="AccessGroups">Every <c>model_info.access_groups</c> name of the group's deployments.</param>
internal sealed record ModelGroupTraits(ModelPrice EstimatePrice, ImmutableArray<string> AccessGroups)
{
    public static ModelGroupTraits Unknown { get; } = new(PriceTable.Free, []);
}
