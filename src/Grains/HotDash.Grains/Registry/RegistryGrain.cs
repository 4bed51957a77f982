using HotDash.Grains.Admission;
using HotDash.Grains.Quotas;
using HotDash.Registry;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace HotDash.Grains.Registry;

/// <summary>
/// The registry as the management API sees it: every call goes to the silo's <see cref="IRegistryStore"/>, and after
/// each successful write the key, team and user grains the write touched are refreshed with what the store now holds,
/// and awaited, so a change is in force cluster-wide (the next request through any gateway sees it) before the call
/// returns.
/// </summary>
/// <remarks>
/// A stateless worker: every silo answers locally, and the store is the one place writes meet (one transaction in
/// PostgreSQL, one grain for the embedded registry). The grains are refreshed with the stored definitions, read back
/// after the write, rather than with what the caller sent: those carry what the store keeps on its own (spend,
/// members, creation time).
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed partial class RegistryGrain(IRegistryStore store, DefinitionCache cache, ILogger<RegistryGrain> logger) : Grain, IRegistryGrain
{
    public Task<KeyDefinition?> GetKey(string token) => store.GetKeyAsync(token);

    public Task<KeyDefinition?> GetKeyByAlias(string keyAlias) => store.GetKeyByAliasAsync(keyAlias);

    public async Task<RegistryResult> CreateKey(KeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        var result = await store.CreateKeyAsync(key, actor);
        if (result.IsOk)
        {
            await RefreshKeysAsync([key.Token]);
        }
        return result;
    }

    public async Task<RegistryResult> UpdateKey(KeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        var result = await store.UpdateKeyAsync(key, actor);
        if (result.IsOk)
        {
            await RefreshKeysAsync([key.Token]);
        }
        return result;
    }

    public async Task<RegistryResult> RegenerateKey(string oldToken, KeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(oldToken);
        ArgumentNullException.ThrowIfNull(key);
        var result = await store.RegenerateKeyAsync(oldToken, key, actor);
        if (result.IsOk)
        {
            // The key's quota is keyed by its hash: without the move a rotation would start it again at 0 spend.
            await MoveKeyQuotaAsync(oldToken, key.Token);
            await Task.WhenAll(ForgetKeysAsync([oldToken]), RefreshKeysAsync([key.Token]));
        }
        return result;
    }

    public async Task<RegistryDeletion> DeleteKeys(ImmutableArray<string> tokens, AuditActor actor)
    {
        var deletion = await store.DeleteKeysAsync(tokens, actor);
        await ForgetKeysAsync(Union(deletion.Deleted, deletion.DeletedKeyTokens));
        return deletion;
    }

    public Task<KeyPage> ListKeys(KeyListQuery query) => store.ListKeysAsync(query);

    public Task<UserPage> ListUsers(UserListQuery query) => store.ListUsersAsync(query);

    public Task<TeamDefinition?> GetTeam(string teamId) => store.GetTeamAsync(teamId);

    public async Task<RegistryResult> CreateTeam(TeamDefinition team, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(team);
        var result = await store.CreateTeamAsync(team, actor);
        if (result.IsOk)
        {
            // Members may have been created, and every member's team list changed.
            await Task.WhenAll(RefreshTeamsAsync([team.TeamId]), RefreshUsersAsync(MemberIds(team.Members)));
        }
        return result;
    }

    public async Task<RegistryResult> UpdateTeam(TeamDefinition team, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(team);
        var result = await store.UpdateTeamAsync(team, actor);
        if (result.IsOk)
        {
            await RefreshTeamsAsync([team.TeamId]);
        }
        return result;
    }

    public async Task<RegistryDeletion> DeleteTeams(ImmutableArray<string> teamIds, AuditActor actor)
    {
        // The members are known only before the teams go; their team lists change with the deletion.
        var members = await MembersOfAsync(teamIds);
        var deletion = await store.DeleteTeamsAsync(teamIds, actor);
        await Task.WhenAll(
            ForgetTeamsAsync(deletion.Deleted),
            ForgetKeysAsync(deletion.DeletedKeyTokens),
            RefreshUsersAsync(members));
        return deletion;
    }

    public Task<ImmutableArray<TeamDefinition>> ListTeams(string? userId) => store.ListTeamsAsync(userId);

    public async Task<RegistryResult> AddTeamMembers(string teamId, ImmutableArray<TeamMember> members, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(teamId);
        var result = await store.AddTeamMembersAsync(teamId, members, actor);
        if (result.IsOk)
        {
            await Task.WhenAll(RefreshTeamsAsync([teamId]), RefreshUsersAsync(MemberIds(members)));
        }
        return result;
    }

    public async Task<RegistryResult> RemoveTeamMembers(string teamId, ImmutableArray<string> userIds, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(teamId);
        var result = await store.RemoveTeamMembersAsync(teamId, userIds, actor);
        if (result.IsOk)
        {
            await Task.WhenAll(RefreshTeamsAsync([teamId]), RefreshUsersAsync(userIds));
        }
        return result;
    }

    public Task<UserDefinition?> GetUser(string userId) => store.GetUserAsync(userId);

    public async Task<RegistryResult> CreateUser(UserDefinition user, KeyDefinition? key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await store.CreateUserAsync(user, key, actor);
        if (result.IsOk)
        {
            await Task.WhenAll(
                RefreshUsersAsync([user.UserId]),
                key is null ? Task.CompletedTask : RefreshKeysAsync([key.Token]),
                RefreshTeamsAsync(user.Teams));
        }
        return result;
    }

    public async Task<RegistryResult> UpdateUser(UserDefinition user, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await store.UpdateUserAsync(user, actor);
        if (result.IsOk)
        {
            await RefreshUsersAsync([user.UserId]);
        }
        return result;
    }

    public async Task<RegistryDeletion> DeleteUsers(ImmutableArray<string> userIds, AuditActor actor)
    {
        // The users' teams are known only before the users go; those teams lose members with the deletion.
        var teams = await TeamsOfAsync(userIds);
        var deletion = await store.DeleteUsersAsync(userIds, actor);
        await Task.WhenAll(
            ForgetUsersAsync(deletion.Deleted),
            ForgetKeysAsync(deletion.DeletedKeyTokens),
            RefreshTeamsAsync(teams));
        return deletion;
    }

    public Task<ImmutableArray<SpendRow>> GetSpendLogs(SpendLogQuery query) => store.GetSpendLogsAsync(query);

    public Task<ImmutableArray<SpendReportRow>> GetSpendReport(SpendReportQuery query) => store.GetSpendReportAsync(query);

    // The rotation is stored already, so a failed move is logged rather than failing it.
    private async Task MoveKeyQuotaAsync(string oldToken, string newToken)
    {
        var from = QuotaSubjects.Key(oldToken);
        var to = QuotaSubjects.Key(newToken);
        try
        {
            await GrainFactory.GetGrain<IQuotaTransferGrain>(from).MoveTo(to);
        }
        catch (Exception e)
        {
            QuotaLog.MoveFailed(logger, e, from, to);
        }
    }

    // Each refresh also lands in this silo's admission cache (the grain's own silo updates its copy in Refresh), so
    // the gateway that made the change sees it on its next request even before other silos' copies expire.
    private Task RefreshKeysAsync(IEnumerable<string> tokens) =>
        Task.WhenAll(Distinct(tokens).Select(async token => await RefreshKeyAsync(token, await store.GetKeyAsync(token))));

    private Task RefreshTeamsAsync(IEnumerable<string> teamIds) =>
        Task.WhenAll(Distinct(teamIds).Select(async id => await RefreshTeamAsync(id, await store.GetTeamAsync(id))));

    private Task RefreshUsersAsync(IEnumerable<string> userIds) =>
        Task.WhenAll(Distinct(userIds).Select(async id => await RefreshUserAsync(id, await store.GetUserAsync(id))));

    private Task ForgetKeysAsync(IEnumerable<string> tokens) =>
        Task.WhenAll(Distinct(tokens).Select(token => RefreshKeyAsync(token, null)));

    private Task ForgetTeamsAsync(IEnumerable<string> teamIds) =>
        Task.WhenAll(Distinct(teamIds).Select(id => RefreshTeamAsync(id, null)));

    private Task ForgetUsersAsync(IEnumerable<string> userIds) =>
        Task.WhenAll(Distinct(userIds).Select(id => RefreshUserAsync(id, null)));

    private Task RefreshKeyAsync(string token, KeyDefinition? definition)
    {
        cache.Set(token, definition);
        return GrainFactory.GetGrain<IKeyGrain>(token).Refresh(definition);
    }

    private Task RefreshTeamAsync(string teamId, TeamDefinition? definition)
    {
        cache.Set(teamId, definition);
        return GrainFactory.GetGrain<ITeamGrain>(teamId).Refresh(definition);
    }

    private Task RefreshUserAsync(string userId, UserDefinition? definition)
    {
        cache.Set(userId, definition);
        return GrainFactory.GetGrain<IUserGrain>(userId).Refresh(definition);
    }

    private async Task<IReadOnlyList<string>> MembersOfAsync(ImmutableArray<string> teamIds)
    {
        var teams = await Task.WhenAll(Distinct(teamIds).Select(id => store.GetTeamAsync(id)));
        return [.. teams.Where(t => t is not null).SelectMany(t => MemberIds(t!.Members))];
    }

    private async Task<IReadOnlyList<string>> TeamsOfAsync(ImmutableArray<string> userIds)
    {
        var users = await Task.WhenAll(Distinct(userIds).Select(id => store.GetUserAsync(id)));
        return [.. users.Where(u => u is not null).SelectMany(u => u!.Teams.IsDefault ? [] : u.Teams)];
    }

    private static IEnumerable<string> MemberIds(ImmutableArray<TeamMember> members) =>
        members.IsDefaultOrEmpty ? [] : members.Where(m => m is not null).Select(m => m.UserId);

    private static IEnumerable<string> Union(ImmutableArray<string> a, ImmutableArray<string> b) =>
        (a.IsDefault ? [] : a).Concat(b.IsDefault ? [] : b);

    private static IEnumerable<string> Distinct(IEnumerable<string>? ids) =>
        ids is null or ImmutableArray<string> { IsDefault: true } ? [] : ids.Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal);
}
