using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary>
/// Everything the overview page shows for one window, each panel with its own source and error, so one failing read
/// degrades its panel and never the page. Plain records: it is carried from the prerender to the circuit as JSON.
/// </summary>
/// <param name="Window">The window.</param>
/// <param name="Series">Headline totals and the time series.</param>
/// <param name="ByModel">Per model group, most requests first.</param>
/// <param name="ByTeam">Per team id (empty: no team), most requests first.</param>
/// <param name="TopUsers">Per user, highest cost first (the store only).</param>
/// <param name="TopKeys">Per key alias, highest cost first (the store only).</param>
/// <param name="TakenAtMs">When it was read, epoch ms.</param>
public sealed record UsageDashboard(
    UsageWindow Window,
    UsagePanel<UsageSeries> Series,
    UsagePanel<ImmutableArray<UsageGroup>> ByModel,
    UsagePanel<ImmutableArray<UsageGroup>> ByTeam,
    UsagePanel<ImmutableArray<UsageGroup>> TopUsers,
    UsagePanel<ImmutableArray<UsageGroup>> TopKeys,
    long TakenAtMs)
{
    /// <summary>Team id to alias (teams without one are left out): the by-team rows' labels.</summary>
    public ImmutableDictionary<string, string> TeamAliases { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Every source answered and there were no requests in the window.</summary>
    public bool IsEmpty =>
        Series.Error is null && Series.Value.Totals.Requests == 0
        && ByModel.Error is null && ByModel.Value.IsEmpty
        && TopUsers.Error is null && TopUsers.Value.IsEmpty;
}
