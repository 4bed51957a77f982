using System.Collections.Concurrent;
using System.Collections.Immutable;
using HotDash.Grains;
using HotDash.Hosting.Configuration;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary>
/// The home page's overview of a window. History comes from the analytics store
/// (<see cref="IAnalyticsQueryGrain.QueryUsageOverview"/>); for a window inside the rollups' last 24 hours of the
/// project the gateways trace into, the totals, the series and the by-model and by-team rows also come from the
/// rollup grains (<see cref="RollupSubjects"/>: <c>all</c>, <c>model:</c> per configured model group, <c>team:</c> per
/// team the store saw plus requests outside a team), merged by <see cref="UsageMerge"/>. Top users and keys are the
/// store's. Never throws for a failed read: each panel carries its own error.
/// </summary>
public sealed class UsageOverviewService(IUsageReads reads, HotDashConfig config, TimeProvider time, ILogger<UsageOverviewService> logger)
{
    /// <summary>How many rows the store keeps per breakdown and top list.</summary>
    public const int Top = 20;

    /// <summary>The longest a store answer is shared between refreshes and tabs (long windows: a 30-day scan per tab every few seconds costs more than it shows).</summary>
    public static readonly TimeSpan MaxStoreReuse = TimeSpan.FromSeconds(60);

    // Recent store answers by (project, slot of from, slot of to, bucket): every open tab refreshes on its own timer.
    private readonly ConcurrentDictionary<(string Project, long From, long To, long Bucket), (long AtMs, Task<UsageRead<UsageOverview>> Read)> _recent = new();

    /// <summary>How long the teams' aliases are kept before the gateway is asked again.</summary>
    public static readonly TimeSpan TeamAliasesReuse = TimeSpan.FromSeconds(60);

    // The last aliases read (kept when a later read fails: they are labels, not data) and when.
    private ImmutableDictionary<string, string> _teamAliases = ImmutableDictionary<string, string>.Empty;
    private long _teamAliasesAtMs = -1;

    // 1 answering, 0 failing, -1 not yet known: the log says when a source changes state, not on every refresh.
    private int _storeState = -1;
    private int _liveState = -1;

    /// <summary>The model groups the rollups are asked about: the configured <c>model_list</c> names.</summary>
    public ImmutableArray<string> ModelGroups { get; } =
        [.. config.ModelList.Select(m => m.ModelName).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>The project whose requests the rollups count (the gateways' <c>hotdash.tracing.project_id</c>).</summary>
    public string LiveProjectId => config.HotDash.Tracing.ProjectId;

    /// <summary>The overview of <paramref name="window"/> for <paramref name="projectId"/>.</summary>
    public async Task<UsageDashboard> LoadAsync(string projectId, UsageWindow window, CancellationToken cancellationToken)
    {
        var aliases = TeamAliasesAsync(cancellationToken);
        var dashboard = await LoadPanelsAsync(projectId, window, cancellationToken);
        return dashboard with { TeamAliases = await aliases };
    }

    private async Task<ImmutableDictionary<string, string>> TeamAliasesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var at = Volatile.Read(ref _teamAliasesAtMs);
        if (at >= 0 && now - at < (long)TeamAliasesReuse.TotalMilliseconds)
        {
            return _teamAliases;
        }
        Volatile.Write(ref _teamAliasesAtMs, now);
        try
        {
            _teamAliases = (await reads.TeamAliasesAsync(cancellationToken)).ToImmutableDictionary(StringComparer.Ordinal);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Labels only: the rows keep their ids.
            UsageLog.TeamAliasesFailed(logger, Describe(e));
        }
        return _teamAliases;
    }

    private async Task<UsageDashboard> LoadPanelsAsync(string projectId, UsageWindow window, CancellationToken cancellationToken)
    {
        var storeTask = StoreAsync(projectId, window).WaitAsync(cancellationToken);
        // Rollups count every gateway request of the tracing project, so they say nothing about another project.
        var live = window.IsLive && string.Equals(projectId, LiveProjectId, StringComparison.Ordinal);
        if (!live)
        {
            var only = await storeTask;
            return Build(window, null, null, null, only);
        }

        var allTask = Summarize(RollupSubjects.All, window, cancellationToken);
        var modelTasks = ModelGroups.Select(g => (Name: g, Task: Summarize(RollupSubjects.Model(g), window, cancellationToken))).ToArray();
        var store = await storeTask;
        // The registry's teams would need the gateway's management API; the teams that have requests are the ones the
        // store saw, plus requests outside a team. A team with only not-yet-written requests shows on the next refresh.
        var teams = (store.Ok ? store.Value!.ByTeam.Select(t => t.Name) : []).Append("").Distinct(StringComparer.Ordinal);
        var teamTasks = teams.Select(t => (Name: t, Task: Summarize(RollupSubjects.Team(t), window, cancellationToken))).ToArray();

        var all = await allTask;
        var models = new List<(string, UsageRead<UsageSeries>)>();
        foreach (var (name, task) in modelTasks)
        {
            models.Add((name, await task));
        }
        var teamReads = new List<(string, UsageRead<UsageSeries>)>();
        foreach (var (name, task) in teamTasks)
        {
            teamReads.Add((name, await task));
        }
        return Build(window, all, models, teamReads, store);
    }

    private UsageDashboard Build(
        UsageWindow window,
        UsageRead<UsageSeries>? all,
        IReadOnlyList<(string, UsageRead<UsageSeries>)>? models,
        IReadOnlyList<(string, UsageRead<UsageSeries>)>? teams,
        UsageRead<UsageOverview> store)
    {
        UsageRead<T> Part<T>(Func<UsageOverview, T> pick) =>
            store.Ok ? UsageRead<T>.Success(pick(store.Value!)) : UsageRead<T>.Failure(store.Error ?? "failed");
        return new UsageDashboard(
            window,
            UsageMerge.Series(all, Part(o => o.Series)),
            UsageMerge.Groups(models, Part(o => o.ByModel)),
            UsageMerge.Groups(teams, Part(o => o.ByTeam)),
            UsageMerge.StoreOnly(Part(o => o.TopUsers)),
            UsageMerge.StoreOnly(Part(o => o.TopKeys)),
            time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// How long a store answer for <paramref name="window"/> is reused: a thirtieth of a bucket (the series moves by whole
    /// buckets), between 2 s and <see cref="MaxStoreReuse"/>; the live rollups are read afresh on every refresh anyway.
    /// </summary>
    public static long StoreReuseMs(UsageWindow window) =>
        Math.Clamp(window.BucketMs / 30, 2_000, (long)MaxStoreReuse.TotalMilliseconds);

    private Task<UsageRead<UsageOverview>> StoreAsync(string projectId, UsageWindow window)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var reuse = StoreReuseMs(window);
        var key = (projectId, window.FromMs / reuse, window.ToMs / reuse, window.BucketMs);
        if (_recent.TryGetValue(key, out var recent) && now - recent.AtMs < reuse
            && !(recent.Read.IsCompletedSuccessfully && !recent.Read.Result.Ok))
        {
            return recent.Read;
        }
        var query = new UsageOverviewQuery(projectId, window.FromMs, window.ToMs, window.BucketMs) { Top = Top };
        // Shared, so not cancelled with the tab that started it (the grain call has its own time limit).
        var read = ReadAsync(() => reads.QueryOverviewAsync(query, CancellationToken.None), isStore: true, CancellationToken.None);
        _recent[key] = (now, read);
        foreach (var entry in _recent)
        {
            if (now - entry.Value.AtMs >= (long)MaxStoreReuse.TotalMilliseconds)
            {
                _recent.TryRemove(entry);
            }
        }
        return read;
    }

    private Task<UsageRead<UsageSeries>> Summarize(string subject, UsageWindow window, CancellationToken cancellationToken) =>
        ReadAsync(() => reads.SummarizeAsync(subject, window.FromMs, window.ToMs, window.BucketMs, cancellationToken), isStore: false, cancellationToken);

    private async Task<UsageRead<T>> ReadAsync<T>(Func<Task<T>> read, bool isStore, CancellationToken cancellationToken)
    {
        try
        {
            var value = await read();
            Transition(isStore, ok: true, null);
            return UsageRead<T>.Success(value);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = Describe(e);
            Transition(isStore, ok: false, reason);
            return UsageRead<T>.Failure(reason);
        }
    }

    private void Transition(bool isStore, bool ok, string? reason)
    {
        var source = isStore ? "analytics store" : "live rollups";
        var previous = isStore
            ? Interlocked.Exchange(ref _storeState, ok ? 1 : 0)
            : Interlocked.Exchange(ref _liveState, ok ? 1 : 0);
        if (previous == (ok ? 1 : 0))
        {
            return;
        }
        if (ok)
        {
            if (previous == 0)
            {
                UsageLog.SourceRecovered(logger, source);
            }
        }
        else
        {
            UsageLog.SourceFailed(logger, source, reason ?? "");
        }
    }

    private static string Describe(Exception e) => e switch
    {
        TimeoutException => "no answer in time",
        OperationCanceledException => "cancelled",
        _ => e.Message,
    };
}
