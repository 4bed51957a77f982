using HotDash.Registry;

namespace HotDash.Grains.Registry;

/// <summary>
/// The embedded registry store (no database configured): every call goes to the one <see cref="IRegistryStateGrain"/>,
/// whose persistent state holds teams, users, keys, projects with their API keys and a bounded window of the spend ledger.
/// </summary>
public sealed class GrainRegistryStore(IGrainFactory grainFactory) : IRegistryStore
{
    private IRegistryStateGrain State => grainFactory.GetGrain<IRegistryStateGrain>(IRegistryGrain.DefaultKey);

    public bool IsDatabase => false;

    // Grain calls carry no token here; WaitAsync stops the caller waiting, the call itself still completes.
    public Task<KeyDefinition?> GetKeyAsync(string token, CancellationToken cancellationToken = default) =>
        State.GetKey(token).WaitAsync(cancellationToken);

    public Task<KeyDefinition?> GetKeyByAliasAsync(string keyAlias, CancellationToken cancellationToken = default) =>
        State.GetKeyByAlias(keyAlias).WaitAsync(cancellationToken);

    public Task<RegistryResult> CreateKeyAsync(KeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.CreateKey(key, actor).WaitAsync(cancellationToken);

    public Task<RegistryResult> UpdateKeyAsync(KeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.UpdateKey(key, actor).WaitAsync(cancellationToken);

    public Task<RegistryResult> RegenerateKeyAsync(string oldToken, KeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.RegenerateKey(oldToken, key, actor).WaitAsync(cancellationToken);

    public Task<RegistryDeletion> DeleteKeysAsync(ImmutableArray<string> tokens, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.DeleteKeys(tokens, actor).WaitAsync(cancellationToken);

    public Task<KeyPage> ListKeysAsync(KeyListQuery query, CancellationToken cancellationToken = default) =>
        State.ListKeys(query).WaitAsync(cancellationToken);

    public Task<UserPage> ListUsersAsync(UserListQuery query, CancellationToken cancellationToken = default) =>
        State.ListUsers(query).WaitAsync(cancellationToken);

    public Task<TeamDefinition?> GetTeamAsync(string teamId, CancellationToken cancellationToken = default) =>
        State.GetTeam(teamId).WaitAsync(cancellationToken);

    public Task<RegistryResult> CreateTeamAsync(TeamDefinition team, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.CreateTeam(team, actor).WaitAsync(cancellationToken);

    public Task<RegistryResult> UpdateTeamAsync(TeamDefinition team, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.UpdateTeam(team, actor).WaitAsync(cancellationToken);

    public Task<RegistryDeletion> DeleteTeamsAsync(ImmutableArray<string> teamIds, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.DeleteTeams(teamIds, actor).WaitAsync(cancellationToken);

    public Task<ImmutableArray<TeamDefinition>> ListTeamsAsync(string? userId, CancellationToken cancellationToken = default) =>
        State.ListTeams(userId).WaitAsync(cancellationToken);

    public Task<RegistryResult> AddTeamMembersAsync(string teamId, ImmutableArray<TeamMember> members, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.AddTeamMembers(teamId, members, actor).WaitAsync(cancellationToken);

    public Task<RegistryResult> RemoveTeamMembersAsync(string teamId, ImmutableArray<string> userIds, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.RemoveTeamMembers(teamId, userIds, actor).WaitAsync(cancellationToken);

    public Task<UserDefinition?> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        State.GetUser(userId).WaitAsync(cancellationToken);

    public Task<RegistryResult> CreateUserAsync(UserDefinition user, KeyDefinition? key, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.CreateUser(user, key, actor).WaitAsync(cancellationToken);

    public Task<RegistryResult> UpdateUserAsync(UserDefinition user, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.UpdateUser(user, actor).WaitAsync(cancellationToken);

    public Task<RegistryDeletion> DeleteUsersAsync(ImmutableArray<string> userIds, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.DeleteUsers(userIds, actor).WaitAsync(cancellationToken);

    public Task<ImmutableArray<SpendRow>> GetSpendLogsAsync(SpendLogQuery query, CancellationToken cancellationToken = default) =>
        State.GetSpendLogs(query).WaitAsync(cancellationToken);

    public Task<ImmutableArray<SpendReportRow>> GetSpendReportAsync(SpendReportQuery query, CancellationToken cancellationToken = default) =>
        State.GetSpendReport(query).WaitAsync(cancellationToken);

    public Task<ProjectDefinition?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default) =>
        State.GetProject(projectId).WaitAsync(cancellationToken);

    public Task<ImmutableArray<ProjectDefinition>> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        State.ListProjects().WaitAsync(cancellationToken);

    public Task<RegistryResult> CreateProjectAsync(ProjectDefinition project, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.CreateProject(project, actor).WaitAsync(cancellationToken);

    public Task<RegistryResult> UpdateProjectAsync(ProjectDefinition project, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.UpdateProject(project, actor).WaitAsync(cancellationToken);

    public Task<RegistryDeletion> DeleteProjectsAsync(ImmutableArray<string> projectIds, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.DeleteProjects(projectIds, actor).WaitAsync(cancellationToken);

    public Task<ProjectKeyDefinition?> GetProjectKeyAsync(string publicKey, CancellationToken cancellationToken = default) =>
        State.GetProjectKey(publicKey).WaitAsync(cancellationToken);

    public Task<ImmutableArray<ProjectKeyDefinition>> ListProjectKeysAsync(string? projectId, CancellationToken cancellationToken = default) =>
        State.ListProjectKeys(projectId).WaitAsync(cancellationToken);

    public Task<RegistryResult> CreateProjectKeyAsync(ProjectKeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.CreateProjectKey(key, actor).WaitAsync(cancellationToken);

    public Task<RegistryResult> ReplaceProjectKeyAsync(ProjectKeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.ReplaceProjectKey(key, actor).WaitAsync(cancellationToken);

    public Task<RegistryDeletion> DeleteProjectKeysAsync(ImmutableArray<string> publicKeys, AuditActor actor, CancellationToken cancellationToken = default) =>
        State.DeleteProjectKeys(publicKeys, actor).WaitAsync(cancellationToken);

    public Task<int> WriteSpendAsync(IReadOnlyList<SpendRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return State.WriteSpend([.. rows]).WaitAsync(cancellationToken);
    }
}
