namespace HotDash.Grains;

/// <summary>
/// The registry of teams, users and virtual keys, the spend ledger's queries, and Langfuse's projects with their API keys:
/// what the LiteLLM management API (<c>/key/*</c>, <c>/team/*</c>, <c>/user/*</c>, <c>/spend/*</c>, and <c>/project/*</c>) calls (key: <see cref="DefaultKey"/>). A stateless
/// worker over the silo's registry store: PostgreSQL when a database is configured, else grain state.
/// </summary>
/// <remarks>
/// Every write is all or nothing: a refusal (<see cref="RegistryResult"/> not OK) leaves the registry as it was.
/// A write that succeeds has reached the key, team, user and project-key grains it touched before it returns, so the next
/// request through any gateway sees it. Field formats (limits, durations, <c>sk-</c> keys) are checked by the caller;
/// the registry checks what needs the stored data (existing team and user, unique aliases).
/// </remarks>
public interface IRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>The key every caller uses.</summary>
    const long DefaultKey = 0;

    /// <summary>The key with this hash; <see langword="null"/> if there is none.</summary>
    Task<KeyDefinition?> GetKey(string token);

    /// <summary>The key with this <c>key_alias</c>; <see langword="null"/> if there is none.</summary>
    Task<KeyDefinition?> GetKeyByAlias(string keyAlias);

    /// <summary>Stores a new key. Refused: its team or user does not exist (<c>team_id</c>, <c>user_id</c>), its alias or hash is taken.</summary>
    Task<RegistryResult> CreateKey(KeyDefinition key, AuditActor actor);

    /// <summary>Replaces a key's definition (its spend is kept). 404 when the key does not exist.</summary>
    Task<RegistryResult> UpdateKey(KeyDefinition key, AuditActor actor);

    /// <summary>Moves the key <paramref name="oldToken"/> to the new hash <paramref name="key"/>.<see cref="KeyDefinition.Token"/> with its new definition, spend kept; the old key stops working at once.</summary>
    Task<RegistryResult> RegenerateKey(string oldToken, KeyDefinition key, AuditActor actor);

    /// <summary>Deletes the keys with these hashes; the answer lists those that existed.</summary>
    Task<RegistryDeletion> DeleteKeys(ImmutableArray<string> tokens, AuditActor actor);

    /// <summary>A page of keys matching the query, newest first.</summary>
    Task<KeyPage> ListKeys(KeyListQuery query);

    /// <summary>The team; <see langword="null"/> if there is none.</summary>
    Task<TeamDefinition?> GetTeam(string teamId);

    /// <summary>Stores a new team with its members (users that do not exist yet are created). Refused: id or alias taken.</summary>
    Task<RegistryResult> CreateTeam(TeamDefinition team, AuditActor actor);

    /// <summary>Replaces a team's definition; its members and spend are kept. 404 when it does not exist.</summary>
    Task<RegistryResult> UpdateTeam(TeamDefinition team, AuditActor actor);

    /// <summary>Deletes the teams, their memberships and their keys.</summary>
    Task<RegistryDeletion> DeleteTeams(ImmutableArray<string> teamIds, AuditActor actor);

    /// <summary>Every team, or the teams <paramref name="userId"/> is a member of.</summary>
    Task<ImmutableArray<TeamDefinition>> ListTeams(string? userId);

    /// <summary>Adds members (or changes the role of existing ones); users that do not exist yet are created. 404 for an unknown team.</summary>
    Task<RegistryResult> AddTeamMembers(string teamId, ImmutableArray<TeamMember> members, AuditActor actor);

    /// <summary>Removes members from a team (their keys stay, as LiteLLM does). 404 for an unknown team.</summary>
    Task<RegistryResult> RemoveTeamMembers(string teamId, ImmutableArray<string> userIds, AuditActor actor);

    /// <summary>The user (with the teams it is in); <see langword="null"/> if there is none.</summary>
    Task<UserDefinition?> GetUser(string userId);

    /// <summary>Stores a new user, and with it <paramref name="key"/> when given (LiteLLM's <c>/user/new</c> makes the user a key), in one write.</summary>
    Task<RegistryResult> CreateUser(UserDefinition user, KeyDefinition? key, AuditActor actor);

    /// <summary>Replaces a user's definition; teams and spend are kept. 404 when the user does not exist.</summary>
    Task<RegistryResult> UpdateUser(UserDefinition user, AuditActor actor);

    /// <summary>Deletes the users, their memberships and their keys.</summary>
    Task<RegistryDeletion> DeleteUsers(ImmutableArray<string> userIds, AuditActor actor);

    /// <summary>A page of users matching the query (with their teams and key counts), newest first.</summary>
    Task<UserPage> ListUsers(UserListQuery query);

    /// <summary>Ledger rows matching the query, newest first.</summary>
    Task<ImmutableArray<SpendRow>> GetSpendLogs(SpendLogQuery query);

    /// <summary>Spend per day, group and model.</summary>
    Task<ImmutableArray<SpendReportRow>> GetSpendReport(SpendReportQuery query);

    /// <summary>The Langfuse project; <see langword="null"/> if there is none.</summary>
    Task<ProjectDefinition?> GetProject(string projectId);

    /// <summary>Every project, oldest first (the <c>default</c> project is always there).</summary>
    Task<ImmutableArray<ProjectDefinition>> ListProjects();

    /// <summary>Stores a new project. Refused: its id is taken (<c>project_id</c>), or the id or name is empty.</summary>
    Task<RegistryResult> CreateProject(ProjectDefinition project, AuditActor actor);

    /// <summary>Renames a project (its creation time and keys are kept). 404 when it does not exist.</summary>
    Task<RegistryResult> UpdateProject(ProjectDefinition project, AuditActor actor);

    /// <summary>
    /// Deletes the projects and their API keys. The answer lists the projects that existed, and in
    /// <see cref="RegistryDeletion.DeletedKeyTokens"/> the public keys deleted with them. The <c>default</c> project is
    /// never deleted (it is left out of the answer).
    /// </summary>
    Task<RegistryDeletion> DeleteProjects(ImmutableArray<string> projectIds, AuditActor actor);

    /// <summary>The project API key with this <c>pk-lf-...</c> public key; <see langword="null"/> if there is none.</summary>
    Task<ProjectKeyDefinition?> GetProjectKey(string publicKey);

    /// <summary>The project API keys of <paramref name="projectId"/>, or every project's; oldest first.</summary>
    Task<ImmutableArray<ProjectKeyDefinition>> ListProjectKeys(string? projectId);

    /// <summary>
    /// Stores a new project API key (its secret only as <see cref="ProjectKeyDefinition.SecretHash"/>). Refused: the
    /// project does not exist (<c>project_id</c>), the public key or the secret is taken (<c>public_key</c>,
    /// <c>secret_key</c>).
    /// </summary>
    Task<RegistryResult> CreateProjectKey(ProjectKeyDefinition key, AuditActor actor);

    /// <summary>
    /// Replaces the secret, project and note of the existing key with this public key (its creation time is kept): the old
    /// secret stops working at once. 404 when there is no such key; refused as <see cref="CreateProjectKey"/> is.
    /// </summary>
    Task<RegistryResult> ReplaceProjectKey(ProjectKeyDefinition key, AuditActor actor);

    /// <summary>Deletes the project API keys with these public keys; the answer lists those that existed (in both lists).</summary>
    Task<RegistryDeletion> DeleteProjectKeys(ImmutableArray<string> publicKeys, AuditActor actor);
}
