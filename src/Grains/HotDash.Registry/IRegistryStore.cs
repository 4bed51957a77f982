using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Registry;

/// <summary>
/// Where the silo keeps the registry: <c>PostgresRegistryStore</c> when a database is configured, else the embedded
/// registry grain (<see cref="IRegistryStateGrain"/>). The registry, key, team, user, project-key and spend-ledger grains
/// are its only callers. Each method means what the <see cref="IRegistryGrain"/> method of the same name means; every
/// write is one transaction (all or nothing) that also appends its <c>audit_log</c> row(s).
/// </summary>
public interface IRegistryStore
{
    /// <summary>True when the store outlives the cluster (PostgreSQL); false for grain state.</summary>
    bool IsDatabase { get; }

    Task<KeyDefinition?> GetKeyAsync(string token, CancellationToken cancellationToken = default);

    Task<KeyDefinition?> GetKeyByAliasAsync(string keyAlias, CancellationToken cancellationToken = default);

    Task<RegistryResult> CreateKeyAsync(KeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryResult> UpdateKeyAsync(KeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryResult> RegenerateKeyAsync(string oldToken, KeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryDeletion> DeleteKeysAsync(ImmutableArray<string> tokens, AuditActor actor, CancellationToken cancellationToken = default);

    Task<KeyPage> ListKeysAsync(KeyListQuery query, CancellationToken cancellationToken = default);

    Task<TeamDefinition?> GetTeamAsync(string teamId, CancellationToken cancellationToken = default);

    Task<RegistryResult> CreateTeamAsync(TeamDefinition team, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryResult> UpdateTeamAsync(TeamDefinition team, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryDeletion> DeleteTeamsAsync(ImmutableArray<string> teamIds, AuditActor actor, CancellationToken cancellationToken = default);

    Task<ImmutableArray<TeamDefinition>> ListTeamsAsync(string? userId, CancellationToken cancellationToken = default);

    Task<RegistryResult> AddTeamMembersAsync(string teamId, ImmutableArray<TeamMember> members, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryResult> RemoveTeamMembersAsync(string teamId, ImmutableArray<string> userIds, AuditActor actor, CancellationToken cancellationToken = default);

    Task<UserDefinition?> GetUserAsync(string userId, CancellationToken cancellationToken = default);

    Task<RegistryResult> CreateUserAsync(UserDefinition user, KeyDefinition? key, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryResult> UpdateUserAsync(UserDefinition user, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryDeletion> DeleteUsersAsync(ImmutableArray<string> userIds, AuditActor actor, CancellationToken cancellationToken = default);

    Task<UserPage> ListUsersAsync(UserListQuery query, CancellationToken cancellationToken = default);

    Task<ImmutableArray<SpendRow>> GetSpendLogsAsync(SpendLogQuery query, CancellationToken cancellationToken = default);

    Task<ImmutableArray<SpendReportRow>> GetSpendReportAsync(SpendReportQuery query, CancellationToken cancellationToken = default);

    /// <summary>Writes ledger rows idempotently (by request id); returns how many were new.</summary>
    Task<int> WriteSpendAsync(IReadOnlyList<SpendRow> rows, CancellationToken cancellationToken = default);

    Task<ProjectDefinition?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default);

    Task<ImmutableArray<ProjectDefinition>> ListProjectsAsync(CancellationToken cancellationToken = default);

    Task<RegistryResult> CreateProjectAsync(ProjectDefinition project, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryResult> UpdateProjectAsync(ProjectDefinition project, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryDeletion> DeleteProjectsAsync(ImmutableArray<string> projectIds, AuditActor actor, CancellationToken cancellationToken = default);

    Task<ProjectKeyDefinition?> GetProjectKeyAsync(string publicKey, CancellationToken cancellationToken = default);

    Task<ImmutableArray<ProjectKeyDefinition>> ListProjectKeysAsync(string? projectId, CancellationToken cancellationToken = default);

    Task<RegistryResult> CreateProjectKeyAsync(ProjectKeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryResult> ReplaceProjectKeyAsync(ProjectKeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default);

    Task<RegistryDeletion> DeleteProjectKeysAsync(ImmutableArray<string> publicKeys, AuditActor actor, CancellationToken cancellationToken = default);
}
