using System.Collections.Immutable;
using HotDash.Grains;
using HotDash.Registry.Logging;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace HotDash.Registry;

/// <summary>
/// The registry in PostgreSQL (<see cref="IRegistryStore"/> when a database is configured). Every write is one
/// transaction that checks what needs the stored data (existing team and user, free aliases and ids), writes the
/// rows and appends one <c>audit_log</c> row per row it created, changed or deleted (the row as jsonb before and
/// after; for keys that is the hash, never the key). A refusal rolls back and comes back as a
/// <see cref="RegistryResult"/>; a unique or foreign-key violation from a concurrent write makes the whole write run
/// again, whose checks then name the value.
/// </summary>
/// <remarks>
/// Row locks follow <see cref="SpendLedgerWriter"/>'s global order (spend_logs, spend_daily, keys, teams, users,
/// team_memberships; by primary key within a table, taken with <c>ORDER BY ... FOR UPDATE</c> before the change), so
/// admin writes and ledger batches never deadlock. The reads the grains make on activation (<see cref="GetKeyAsync"/>,
/// <see cref="GetTeamAsync"/>, <see cref="GetUserAsync"/>) are one query each. Timestamps come from the
/// <see cref="TimeProvider"/>; <c>spend</c> and <c>model_spend</c> belong to the ledger and are written only on create.
/// </remarks>
public sealed partial class PostgresRegistryStore(RegistryDatabase database, SpendLedgerWriter ledger, TimeProvider time, ILogger<PostgresRegistryStore> logger)
    : IRegistryStore
{
    // A write that meets a concurrent one runs again; the checks of the next attempt see what the other committed.
    private const int Attempts = 3;

    private const string Audit = RegistryWrite.AuditInsert;

    private const string SelectKey = "SELECT " + RegistryRows.KeyColumns + " FROM keys WHERE token = @v";
    private const string SelectKeyByAlias = "SELECT " + RegistryRows.KeyColumns + " FROM keys WHERE key_alias = @v";
    private const string SelectTeam = RegistryRows.TeamSelect + " WHERE t.team_id = @v";
    private const string SelectUser = RegistryRows.UserSelect + " WHERE u.user_id = @v";

    private const string SelectTeams = RegistryRows.TeamSelect + """

        WHERE @user_id::text IS NULL OR EXISTS (SELECT 1 FROM team_memberships x WHERE x.team_id = t.team_id AND x.user_id = @user_id)
        ORDER BY t.created_at, t.team_id COLLATE "C"
        """;

    private const string KeyFilter = """
         FROM keys
        WHERE (@team_id::text IS NULL OR team_id = @team_id) AND (@user_id::text IS NULL OR user_id = @user_id)
          AND (@key_alias::text IS NULL OR key_alias = @key_alias)
        """;

    private const string ListKeys = "SELECT count(*)" + KeyFilter + ";\nSELECT " + RegistryRows.KeyColumns + KeyFilter + """

        ORDER BY created_at DESC, token COLLATE "C"
        LIMIT @limit OFFSET @offset
        """;

    private const string UserFilter = """

        WHERE (@user_ids::text[] IS NULL OR u.user_id = ANY(@user_ids)) AND (@user_role::text IS NULL OR u.user_role = @user_role)
          AND (@team_id::text IS NULL OR EXISTS (SELECT 1 FROM team_memberships x WHERE x.team_id = @team_id AND x.user_id = u.user_id))
          AND (@user_email::text IS NULL OR strpos(lower(u.user_email), lower(@user_email)) > 0)
        """;

    // The page is cut first, then each of its users' keys counted (LiteLLM's key_count), so the count costs one index
    // probe per row shown, never one per user matching.
    private const string ListUsers = "SELECT count(*) FROM users u" + UserFilter + ";\nSELECT p.*, (SELECT count(*) FROM keys k WHERE k.user_id = p.user_id)\nFROM (" +
        RegistryRows.UserSelect + UserFilter + """

        ORDER BY u.created_at DESC, u.user_id COLLATE "C"
        LIMIT @limit OFFSET @offset) p
        ORDER BY p.created_at DESC, p.user_id COLLATE "C"
        """;

    private const string SpendLogs = "SELECT " + RegistryRows.SpendColumns + """
         FROM spend_logs
        WHERE (@api_key::text IS NULL OR api_key = @api_key) AND (@team_id::text IS NULL OR team_id = @team_id)
          AND (@user_id::text IS NULL OR user_id = @user_id) AND (@request_id::text IS NULL OR request_id = @request_id)
          AND (@since::timestamptz IS NULL OR start_time >= @since) AND (@until::timestamptz IS NULL OR start_time < @until)
        ORDER BY start_time DESC, request_id COLLATE "C" DESC
        LIMIT @limit
        """;

    // end_user is only in the ledger itself, so the customer report reads spend_logs (by its start_time index).
    private const string CustomerReport = """
        SELECT g.* FROM (
            SELECT (start_time AT TIME ZONE 'UTC')::date AS day, NULLIF(end_user, '') AS grp, COALESCE(NULLIF(model_group, ''), model) AS model,
                   sum(spend) AS spend, sum(prompt_tokens)::bigint AS prompt_tokens, sum(completion_tokens)::bigint AS completion_tokens,
                   count(*) AS requests
            FROM spend_logs
            WHERE start_time >= @since AND start_time < @until
            GROUP BY 1, 2, 3) g
        ORDER BY g.day, g.grp COLLATE "C" NULLS FIRST, g.model COLLATE "C"
        """;

    private const string KeyExists = "SELECT 1 FROM keys WHERE token = @v";
    private const string TeamExists = "SELECT 1 FROM teams WHERE team_id = @v";
    private const string UserExists = "SELECT 1 FROM users WHERE user_id = @v";
    private const string KeyAliasTaken = "SELECT 1 FROM keys WHERE key_alias = @v AND token <> @v2";
    private const string TeamAliasTaken = "SELECT 1 FROM teams WHERE team_alias = @v AND team_id <> @v2";

    private const string LockKey = "SELECT to_jsonb(k)::text, k.blocked FROM keys k WHERE k.token = @id FOR NO KEY UPDATE";
    // Regenerate changes the primary key: the strong lock.
    private const string LockKeyForRotation = "SELECT to_jsonb(k)::text, k.blocked FROM keys k WHERE k.token = @id FOR UPDATE";
    private const string LockTeam = "SELECT to_jsonb(t)::text, t.blocked FROM teams t WHERE t.team_id = @id FOR NO KEY UPDATE";
    private const string LockUser = "SELECT to_jsonb(u)::text FROM users u WHERE u.user_id = @id FOR NO KEY UPDATE";

    private const string InsertKey = """
        WITH n AS (
            INSERT INTO keys (token, key_name, key_alias, team_id, user_id, models, aliases, max_budget, budget_duration, budget_reset_at,
                              tpm_limit, rpm_limit, max_parallel_requests, model_rpm_limit, model_tpm_limit, model_max_budget, metadata,
                              blocked, expires, spend, model_spend, created_by, updated_by, created_at, updated_at)
            VALUES (@token, @key_name, @key_alias, @team_id, @user_id, @models, @aliases, @max_budget, @budget_duration, @budget_reset_at,
                    @tpm_limit, @rpm_limit, @max_parallel_requests, @model_rpm_limit, @model_tpm_limit, @model_max_budget, @metadata,
                    @blocked, @expires, @spend, @model_spend, @created_by, @updated_by, @created_at, @now)
            RETURNING *)
        """ + Audit + " 'created', 'keys', n.token, NULL, to_jsonb(n) FROM n";

    // Update and regenerate: token = @token WHERE token = @old_token (the same hash for an update). spend, model_spend,
    // created_by and created_at stay; key_name stays when the definition has none.
    private const string UpdateKey = """
        WITH n AS (
            UPDATE keys SET token = @token, key_name = COALESCE(@key_name, key_name), key_alias = @key_alias, team_id = @team_id,
                   user_id = @user_id, models = @models, aliases = @aliases, max_budget = @max_budget, budget_duration = @budget_duration,
                   budget_reset_at = @budget_reset_at, tpm_limit = @tpm_limit, rpm_limit = @rpm_limit,
                   max_parallel_requests = @max_parallel_requests, model_rpm_limit = @model_rpm_limit, model_tpm_limit = @model_tpm_limit,
                   model_max_budget = @model_max_budget, metadata = @metadata, blocked = @blocked, expires = @expires,
                   updated_by = @updated_by, updated_at = @now
            WHERE token = @old_token
            RETURNING *)
        """ + Audit + " @action, 'keys', n.token, @before, to_jsonb(n) FROM n";

    private const string LockKeys = """SELECT 1 FROM keys WHERE token = ANY(@ids) ORDER BY token COLLATE "C" FOR UPDATE""";

    private const string DeleteKeys = "WITH d AS (DELETE FROM keys WHERE token = ANY(@ids) RETURNING *)\n" + Audit +
        """ 'deleted', 'keys', d.token, to_jsonb(d), NULL FROM d ORDER BY d.token COLLATE "C" RETURNING object_id""";

    private const string InsertTeam = """
        WITH n AS (
            INSERT INTO teams (team_id, team_alias, models, max_budget, budget_duration, budget_reset_at, tpm_limit, rpm_limit,
                               max_parallel_requests, model_rpm_limit, model_tpm_limit, model_max_budget, metadata, blocked, spend,
                               model_spend, created_at, updated_at)
            VALUES (@team_id, @team_alias, @models, @max_budget, @budget_duration, @budget_reset_at, @tpm_limit, @rpm_limit,
                    @max_parallel_requests, @model_rpm_limit, @model_tpm_limit, @model_max_budget, @metadata, @blocked, @spend,
                    @model_spend, @created_at, @now)
            RETURNING *)
        """ + Audit + " 'created', 'teams', n.team_id, NULL, to_jsonb(n) FROM n";

    private const string UpdateTeam = """
        WITH n AS (
            UPDATE teams SET team_alias = @team_alias, models = @models, max_budget = @max_budget, budget_duration = @budget_duration,
                   budget_reset_at = @budget_reset_at, tpm_limit = @tpm_limit, rpm_limit = @rpm_limit,
                   max_parallel_requests = @max_parallel_requests, model_rpm_limit = @model_rpm_limit, model_tpm_limit = @model_tpm_limit,
                   model_max_budget = @model_max_budget, metadata = @metadata, blocked = @blocked, updated_at = @now
            WHERE team_id = @team_id
            RETURNING *)
        """ + Audit + " @action, 'teams', n.team_id, @before, to_jsonb(n) FROM n";

    private const string InsertUser = """
        WITH n AS (
            INSERT INTO users (user_id, user_alias, user_email, user_role, models, max_budget, budget_duration, budget_reset_at,
                               tpm_limit, rpm_limit, max_parallel_requests, model_rpm_limit, model_tpm_limit, model_max_budget,
                               metadata, spend, model_spend, created_at, updated_at)
            VALUES (@user_id, @user_alias, @user_email, @user_role, @models, @max_budget, @budget_duration, @budget_reset_at,
                    @tpm_limit, @rpm_limit, @max_parallel_requests, @model_rpm_limit, @model_tpm_limit, @model_max_budget,
                    @metadata, @spend, @model_spend, @created_at, @now)
            RETURNING *)
        """ + Audit + " 'created', 'users', n.user_id, NULL, to_jsonb(n) FROM n";

    private const string UpdateUser = """
        WITH n AS (
            UPDATE users SET user_alias = @user_alias, user_email = @user_email, user_role = @user_role, models = @models,
                   max_budget = @max_budget, budget_duration = @budget_duration, budget_reset_at = @budget_reset_at,
                   tpm_limit = @tpm_limit, rpm_limit = @rpm_limit, max_parallel_requests = @max_parallel_requests,
                   model_rpm_limit = @model_rpm_limit, model_tpm_limit = @model_tpm_limit, model_max_budget = @model_max_budget,
                   metadata = @metadata, updated_at = @now
            WHERE user_id = @user_id
            RETURNING *)
        """ + Audit + " 'updated', 'users', n.user_id, @before, to_jsonb(n) FROM n";

    // Members that are not users yet become users (ON CONFLICT DO NOTHING takes no lock on the existing ones).
    private const string InsertMissingUsers = """
        WITH n AS (
            INSERT INTO users (user_id, user_email, created_at, updated_at)
            SELECT i.user_id, i.user_email, @now, @now FROM unnest(@user_ids, @user_emails) AS i(user_id, user_email)
            ORDER BY i.user_id COLLATE "C"
            ON CONFLICT (user_id) DO NOTHING
            RETURNING *)
        """ + Audit + """ 'created', 'users', n.user_id, NULL, to_jsonb(n) FROM n ORDER BY n.user_id COLLATE "C" """;

    private const string LockMemberships = """
        SELECT 1 FROM team_memberships WHERE team_id = @team_id AND user_id = ANY(@user_ids) ORDER BY user_id COLLATE "C" FOR NO KEY UPDATE
        """;

    // New members are created, existing ones get the new role (an unchanged role writes nothing, not even audit).
    private const string UpsertMemberships = """
        WITH o AS (SELECT * FROM team_memberships WHERE team_id = @team_id AND user_id = ANY(@user_ids)),
        n AS (
            INSERT INTO team_memberships AS m (team_id, user_id, role, created_at)
            SELECT @team_id, i.user_id, i.role, @now FROM unnest(@user_ids, @roles) AS i(user_id, role)
            ORDER BY i.user_id COLLATE "C"
            ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role WHERE m.role IS DISTINCT FROM excluded.role
            RETURNING m.*)
        """ + Audit + """
         CASE WHEN o.user_id IS NULL THEN 'created' ELSE 'updated' END, 'team_memberships', n.team_id || '/' || n.user_id,
               CASE WHEN o.user_id IS NULL THEN NULL ELSE to_jsonb(o) END, to_jsonb(n)
        FROM n LEFT JOIN o ON o.user_id = n.user_id
        ORDER BY n.user_id COLLATE "C"
        """;

    private const string LockMembers = """
        SELECT user_id FROM team_memberships WHERE team_id = @team_id AND user_id = ANY(@user_ids) ORDER BY user_id COLLATE "C" FOR UPDATE
        """;

    private const string DeleteMembers = """
        WITH d AS (DELETE FROM team_memberships WHERE team_id = @team_id AND user_id = ANY(@user_ids) RETURNING *)
        """ + Audit + """
         'deleted', 'team_memberships', d.team_id || '/' || d.user_id, to_jsonb(d), NULL FROM d ORDER BY d.user_id COLLATE "C"
        """;

    private static readonly string[] TeamDeletion = OwnerDeletion("teams", "team_id");
    private static readonly string[] UserDeletion = OwnerDeletion("users", "user_id");
    private static readonly string TeamReport = DailyReport("team_id");
    private static readonly string KeyReport = DailyReport("api_key");
    private static readonly string UserReport = DailyReport("user_id");

    /// <inheritdoc/>
    public bool IsDatabase => true;

    /// <inheritdoc/>
    public Task<KeyDefinition?> GetKeyAsync(string token, CancellationToken cancellationToken = default) =>
        OneAsync(SelectKey, token, RegistryRows.ReadKey, cancellationToken);

    /// <inheritdoc/>
    public Task<KeyDefinition?> GetKeyByAliasAsync(string keyAlias, CancellationToken cancellationToken = default) =>
        OneAsync(SelectKeyByAlias, keyAlias, RegistryRows.ReadKey, cancellationToken);

    /// <inheritdoc/>
    public Task<RegistryResult> CreateKeyAsync(KeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (RegistryChecks.Key(key) is { } invalid)
        {
            return Refused("create key", key.Token, invalid);
        }
        return WriteAsync("create key", key.Token, actor, async w =>
            await KeyIsNewAsync(w, key.Token, "key")
            ?? await KeyReferencesAsync(w, key, exceptToken: null, newUserId: null)
            ?? await InsertKeyAsync(w, key), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> UpdateKeyAsync(KeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (RegistryChecks.Key(key) is { } invalid)
        {
            return Refused("update key", key.Token, invalid);
        }
        return WriteAsync("update key", key.Token, actor, async w =>
        {
            if (await w.LockRowAsync(LockKey, key.Token) is not { } before)
            {
                return RegistryResult.NotFound("key", "key not found");
            }
            return await KeyReferencesAsync(w, key, exceptToken: key.Token, newUserId: null)
                ?? await UpdateKeyRowAsync(w, key.Token, key, before.Json, !before.Blocked && key.Blocked ? "blocked" : "updated");
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> RegenerateKeyAsync(string oldToken, KeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oldToken);
        ArgumentNullException.ThrowIfNull(key);
        if (RegistryChecks.Key(key, "new_key") is { } invalid)
        {
            return Refused("regenerate key", oldToken, invalid);
        }
        return WriteAsync("regenerate key", oldToken, actor, async w =>
        {
            if (await w.LockRowAsync(LockKeyForRotation, oldToken) is not { } before)
            {
                return RegistryResult.NotFound("key", "key not found");
            }
            if (key.Token == oldToken)
            {
                return RegistryResult.Invalid("new_key", "the new key must differ from the old one");
            }
            // "rotated": LiteLLM's audit action for a regenerated key.
            return await KeyIsNewAsync(w, key.Token, "new_key")
                ?? await KeyReferencesAsync(w, key, exceptToken: oldToken, newUserId: null)
                ?? await UpdateKeyRowAsync(w, oldToken, key, before.Json, "rotated");
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryDeletion> DeleteKeysAsync(ImmutableArray<string> tokens, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var ids = DistinctIds(tokens);
        if (ids.Length == 0)
        {
            return Task.FromResult(new RegistryDeletion([], []));
        }
        return DeleteAsync("delete keys", ids, actor, async w =>
        {
            await w.ExecuteAsync(WithIds(w.Command(LockKeys), ids));
            var deleted = Existing(ids, await w.TextsAsync(WithIds(w.Command(DeleteKeys), ids)));
            return new RegistryDeletion(deleted, deleted);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<KeyPage> ListKeysAsync(KeyListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = Math.Max(1, query.PageSize);
        var page = Math.Max(1, query.Page);
        await using var command = database.DataSource.CreateCommand(ListKeys);
        RegistryParameters.AddText(command, "team_id", query.TeamId);
        RegistryParameters.AddText(command, "user_id", query.UserId);
        RegistryParameters.AddText(command, "key_alias", query.KeyAlias);
        RegistryParameters.Add(command, "limit", size, NpgsqlDbType.Integer);
        RegistryParameters.Add(command, "offset", (page - 1L) * size, NpgsqlDbType.Bigint);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var keys = ImmutableArray.CreateBuilder<KeyDefinition>(Math.Min(size, 100));
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(RegistryRows.ReadKey(reader));
        }
        return new KeyPage(keys.ToImmutable(), (int)Math.Min(total, int.MaxValue));
    }

    /// <inheritdoc/>
    public async Task<UserPage> ListUsersAsync(UserListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = Math.Max(1, query.PageSize);
        var page = Math.Max(1, query.Page);
        await using var command = database.DataSource.CreateCommand(ListUsers);
        RegistryParameters.Add(command, "user_ids", query.UserIds.IsDefaultOrEmpty ? null : query.UserIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        RegistryParameters.AddText(command, "user_role", query.UserRole);
        RegistryParameters.AddText(command, "team_id", query.TeamId);
        RegistryParameters.AddText(command, "user_email", query.UserEmail);
        RegistryParameters.Add(command, "limit", size, NpgsqlDbType.Integer);
        RegistryParameters.Add(command, "offset", (page - 1L) * size, NpgsqlDbType.Bigint);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var users = ImmutableArray.CreateBuilder<UserDefinition>(Math.Min(size, 100));
        var counts = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var user = RegistryRows.ReadUser(reader);
            users.Add(user);
            // Column 20 follows the 20 that ReadUser reads.
            counts[user.UserId] = (int)reader.GetInt64(20);
        }
        return new UserPage(users.ToImmutable(), (int)Math.Min(total, int.MaxValue)) { KeyCounts = counts.ToImmutable() };
    }

    /// <inheritdoc/>
    public Task<TeamDefinition?> GetTeamAsync(string teamId, CancellationToken cancellationToken = default) =>
        OneAsync(SelectTeam, teamId, RegistryRows.ReadTeam, cancellationToken);

    /// <inheritdoc/>
    public Task<RegistryResult> CreateTeamAsync(TeamDefinition team, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(team);
        if (RegistryChecks.Team(team) is { } invalid)
        {
            return Refused("create team", team.TeamId, invalid);
        }
        var members = RegistryChecks.Distinct(team.Members);
        return WriteAsync("create team", team.TeamId, actor, async w =>
        {
            if (await w.ExistsAsync(TeamExists, team.TeamId))
            {
                return RegistryResult.Invalid("team_id", $"team_id '{team.TeamId}' already exists");
            }
            if (await TeamAliasRefusalAsync(w, team) is { } taken)
            {
                return taken;
            }
            await using (var command = w.Command(InsertTeam))
            {
                RegistryParameters.AddTeam(command, team);
                RegistryParameters.AddTime(command, "created_at", CreatedAt(team.CreatedAt, w.Now));
                await command.ExecuteNonQueryAsync(w.CancellationToken);
            }
            await AddMembersAsync(w, team.TeamId, members);
            return RegistryResult.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> UpdateTeamAsync(TeamDefinition team, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(team);
        if (RegistryChecks.Team(team) is { } invalid)
        {
            return Refused("update team", team.TeamId, invalid);
        }
        return WriteAsync("update team", team.TeamId, actor, async w =>
        {
            if (await w.LockRowAsync(LockTeam, team.TeamId) is not { } before)
            {
                return RegistryResult.NotFound("team_id", $"team_id '{team.TeamId}' does not exist");
            }
            if (await TeamAliasRefusalAsync(w, team) is { } taken)
            {
                return taken;
            }
            await using var command = w.Command(UpdateTeam);
            RegistryParameters.AddTeam(command, team);
            RegistryParameters.AddJson(command, "before", before.Json);
            RegistryParameters.AddText(command, "action", !before.Blocked && team.Blocked ? "blocked" : "updated");
            await command.ExecuteNonQueryAsync(w.CancellationToken);
            return RegistryResult.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryDeletion> DeleteTeamsAsync(ImmutableArray<string> teamIds, AuditActor actor, CancellationToken cancellationToken = default) =>
        DeleteOwnersAsync("delete teams", TeamDeletion, teamIds, actor, cancellationToken);

    /// <inheritdoc/>
    public async Task<ImmutableArray<TeamDefinition>> ListTeamsAsync(string? userId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand(SelectTeams);
        RegistryParameters.AddText(command, "user_id", userId);
        return await ManyAsync(command, RegistryRows.ReadTeam, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> AddTeamMembersAsync(string teamId, ImmutableArray<TeamMember> members, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teamId);
        var list = members.IsDefault ? [] : members;
        if (RegistryChecks.Members(list, "member") is { } invalid)
        {
            return Refused("add team members", teamId, invalid);
        }
        var distinct = RegistryChecks.Distinct(list);
        return WriteAsync("add team members", teamId, actor, async w =>
        {
            if (!await w.ExistsAsync(TeamExists, teamId))
            {
                return RegistryResult.NotFound("team_id", $"team_id '{teamId}' does not exist");
            }
            await AddMembersAsync(w, teamId, distinct);
            return RegistryResult.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> RemoveTeamMembersAsync(string teamId, ImmutableArray<string> userIds, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teamId);
        var ids = DistinctIds(userIds);
        return WriteAsync("remove team members", teamId, actor, async w =>
        {
            if (!await w.ExistsAsync(TeamExists, teamId))
            {
                return RegistryResult.NotFound("team_id", $"team_id '{teamId}' does not exist");
            }
            if (ids.Length == 0)
            {
                return RegistryResult.Ok;
            }
            var members = await w.TextsAsync(WithMembers(w.Command(LockMembers), teamId, ids));
            foreach (var id in ids)
            {
                if (!members.Contains(id))
                {
                    return RegistryResult.Invalid("user_id", $"user_id '{id}' is not a member of team '{teamId}'");
                }
            }
            await w.ExecuteAsync(WithMembers(w.Command(DeleteMembers), teamId, ids));
            return RegistryResult.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<UserDefinition?> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        OneAsync(SelectUser, userId, RegistryRows.ReadUser, cancellationToken);

    /// <inheritdoc/>
    public Task<RegistryResult> CreateUserAsync(UserDefinition user, KeyDefinition? key, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if ((RegistryChecks.User(user) ?? (key is null ? null : RegistryChecks.Key(key))) is { } invalid)
        {
            return Refused("create user", user.UserId, invalid);
        }
        // LiteLLM's /user/new puts the user in its teams as a plain member.
        var teams = DistinctIds(user.Teams);
        return WriteAsync("create user", user.UserId, actor, async w =>
        {
            if (await w.ExistsAsync(UserExists, user.UserId))
            {
                return RegistryResult.Invalid("user_id", $"user_id '{user.UserId}' already exists");
            }
            foreach (var team in teams)
            {
                if (!await w.ExistsAsync(TeamExists, team))
                {
                    return RegistryResult.Invalid("teams", $"team_id '{team}' does not exist");
                }
            }
            if (key is not null && (await KeyIsNewAsync(w, key.Token, "key") ?? await KeyReferencesAsync(w, key, exceptToken: null, newUserId: user.UserId)) is { } refused)
            {
                return refused;
            }
            await using (var command = w.Command(InsertUser))
            {
                RegistryParameters.AddUser(command, user);
                RegistryParameters.AddTime(command, "created_at", CreatedAt(user.CreatedAt, w.Now));
                await command.ExecuteNonQueryAsync(w.CancellationToken);
            }
            foreach (var team in teams)
            {
                await UpsertMembershipsAsync(w, team, [new TeamMember(user.UserId, user.UserEmail, RegistryChecks.UserRole)]);
            }
            return key is null ? RegistryResult.Ok : await InsertKeyAsync(w, key);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> UpdateUserAsync(UserDefinition user, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (RegistryChecks.User(user) is { } invalid)
        {
            return Refused("update user", user.UserId, invalid);
        }
        return WriteAsync("update user", user.UserId, actor, async w =>
        {
            if (await w.LockRowAsync(LockUser, user.UserId) is not { } before)
            {
                return RegistryResult.NotFound("user_id", $"user_id '{user.UserId}' does not exist");
            }
            await using var command = w.Command(UpdateUser);
            RegistryParameters.AddUser(command, user);
            RegistryParameters.AddJson(command, "before", before.Json);
            await command.ExecuteNonQueryAsync(w.CancellationToken);
            return RegistryResult.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryDeletion> DeleteUsersAsync(ImmutableArray<string> userIds, AuditActor actor, CancellationToken cancellationToken = default) =>
        DeleteOwnersAsync("delete users", UserDeletion, userIds, actor, cancellationToken);

    /// <inheritdoc/>
    public async Task<ImmutableArray<SpendRow>> GetSpendLogsAsync(SpendLogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = database.DataSource.CreateCommand(SpendLogs);
        RegistryParameters.AddText(command, "api_key", query.KeyHash);
        RegistryParameters.AddText(command, "team_id", query.TeamId);
        RegistryParameters.AddText(command, "user_id", query.UserId);
        RegistryParameters.AddText(command, "request_id", query.RequestId);
        RegistryParameters.AddTime(command, "since", query.Start);
        RegistryParameters.AddTime(command, "until", query.End);
        RegistryParameters.Add(command, "limit", Math.Max(0, query.Limit), NpgsqlDbType.Integer);
        return await ManyAsync(command, RegistryRows.ReadSpend, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ImmutableArray<SpendReportRow>> GetSpendReportAsync(SpendReportQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = (query.GroupBy is null or "" ? SpendGroupBy.Team : query.GroupBy) switch
        {
            SpendGroupBy.Team => TeamReport,
            SpendGroupBy.ApiKey => KeyReport,
            SpendGroupBy.User => UserReport,
            SpendGroupBy.Customer => CustomerReport,
            _ => throw new ArgumentException($"group_by '{query.GroupBy}' is not one of team, api_key, user, customer", nameof(query)),
        };
        await using var command = database.DataSource.CreateCommand(sql);
        RegistryParameters.Add(command, "start", query.Start, NpgsqlDbType.Date);
        RegistryParameters.Add(command, "end", query.End, NpgsqlDbType.Date);
        RegistryParameters.AddTime(command, "since", new DateTimeOffset(query.Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        RegistryParameters.AddTime(command, "until", new DateTimeOffset(query.End.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        return await ManyAsync(command, static r => new SpendReportRow(
            r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetDecimal(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)),
            cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<int> WriteSpendAsync(IReadOnlyList<SpendRow> rows, CancellationToken cancellationToken = default) =>
        (await ledger.WriteAsync(rows, cancellationToken)).Inserted;

    private async Task<T?> OneAsync<T>(string sql, string id, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var command = database.DataSource.CreateCommand(sql);
        RegistryParameters.AddText(command, "v", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    private static async Task<ImmutableArray<T>> ManyAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = ImmutableArray.CreateBuilder<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows.ToImmutable();
    }

    private Task<RegistryResult> WriteAsync(string operation, string objectId, AuditActor actor, Func<RegistryWrite, Task<RegistryResult>> body, CancellationToken cancellationToken) =>
        RunAsync(operation, objectId, actor, body, static r => r, static r => r, cancellationToken);

    private Task<RegistryDeletion> DeleteAsync(string operation, string[] ids, AuditActor actor, Func<RegistryWrite, Task<RegistryDeletion>> body, CancellationToken cancellationToken) =>
        RunAsync(operation, string.Join(",", ids), actor, body, static _ => RegistryResult.Ok, refuse: null, cancellationToken);

    // One transaction per attempt: committed when outcome says OK, rolled back (by disposal) otherwise.
    private async Task<T> RunAsync<T>(string operation, string objectId, AuditActor actor, Func<RegistryWrite, Task<T>> body,
        Func<T, RegistryResult> outcome, Func<RegistryResult, T>? refuse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var result = await body(new RegistryWrite(connection, actor, time.GetUtcNow(), cancellationToken));
                var status = outcome(result);
                if (!status.IsOk)
                {
                    RegistryStoreLog.Refused(logger, operation, objectId, status.Status, status.Param, status.Message);
                    return result;
                }
                await transaction.CommitAsync(cancellationToken);
                RegistryStoreLog.Written(logger, operation, objectId, actor.ChangedBy ?? "");
                return result;
            }
            catch (PostgresException e) when (RegistryConflicts.IsTransient(e) && attempt < Attempts)
            {
                RegistryStoreLog.Retrying(logger, operation, objectId, e.SqlState, e.ConstraintName, attempt + 1, Attempts);
            }
            catch (PostgresException e) when (refuse is not null && RegistryConflicts.Refusal(e) is { } refusal)
            {
                RegistryStoreLog.Refused(logger, operation, objectId, refusal.Status, refusal.Param, refusal.Message);
                return refuse(refusal);
            }
        }
    }

    private Task<RegistryResult> Refused(string operation, string? objectId, RegistryResult refusal)
    {
        RegistryStoreLog.Refused(logger, operation, objectId ?? "", refusal.Status, refusal.Param, refusal.Message);
        return Task.FromResult(refusal);
    }

    private static async Task<RegistryResult?> KeyIsNewAsync(RegistryWrite w, string token, string param) =>
        await w.ExistsAsync(KeyExists, token) ? RegistryResult.Invalid(param, "this key already exists") : null;

    // The team and user the key names must exist (newUserId: the user created in the same write); its alias must be free.
    private static async Task<RegistryResult?> KeyReferencesAsync(RegistryWrite w, KeyDefinition key, string? exceptToken, string? newUserId)
    {
        if (key.TeamId is { } team && !await w.ExistsAsync(TeamExists, team))
        {
            return RegistryResult.Invalid("team_id", $"team_id '{team}' does not exist");
        }
        if (key.UserId is { } user && user != newUserId && !await w.ExistsAsync(UserExists, user))
        {
            return RegistryResult.Invalid("user_id", $"user_id '{user}' does not exist");
        }
        if (key.KeyAlias is { } alias && await w.ExistsAsync(KeyAliasTaken, alias, exceptToken ?? ""))
        {
            return RegistryResult.Invalid("key_alias", $"key_alias '{alias}' is already used by another key");
        }
        return null;
    }

    private static async Task<RegistryResult?> TeamAliasRefusalAsync(RegistryWrite w, TeamDefinition team) =>
        team.TeamAlias is { } alias && await w.ExistsAsync(TeamAliasTaken, alias, team.TeamId)
            ? RegistryResult.Invalid("team_alias", $"team_alias '{alias}' is already used by another team")
            : null;

    private static async Task<RegistryResult> InsertKeyAsync(RegistryWrite w, KeyDefinition key)
    {
        await using var command = w.Command(InsertKey);
        RegistryParameters.AddKey(command, key);
        RegistryParameters.AddText(command, "created_by", key.CreatedBy ?? NullIfEmpty(w.Actor.ChangedBy));
        RegistryParameters.AddText(command, "updated_by", key.UpdatedBy ?? NullIfEmpty(w.Actor.ChangedBy));
        RegistryParameters.AddTime(command, "created_at", CreatedAt(key.CreatedAt, w.Now));
        await command.ExecuteNonQueryAsync(w.CancellationToken);
        return RegistryResult.Ok;
    }

    private static async Task<RegistryResult> UpdateKeyRowAsync(RegistryWrite w, string oldToken, KeyDefinition key, string before, string action)
    {
        await using var command = w.Command(UpdateKey);
        RegistryParameters.AddKey(command, key);
        RegistryParameters.AddText(command, "old_token", oldToken);
        RegistryParameters.AddText(command, "updated_by", key.UpdatedBy ?? NullIfEmpty(w.Actor.ChangedBy));
        RegistryParameters.AddJson(command, "before", before);
        RegistryParameters.AddText(command, "action", action);
        await command.ExecuteNonQueryAsync(w.CancellationToken);
        return RegistryResult.Ok;
    }

    // Missing users first (users precede team_memberships in the lock order), then the memberships.
    private static async Task AddMembersAsync(RegistryWrite w, string teamId, TeamMember[] members)
    {
        if (members.Length == 0)
        {
            return;
        }
        await using (var command = w.Command(InsertMissingUsers))
        {
            RegistryParameters.AddTexts(command, "user_ids", members.Select(m => m.UserId));
            RegistryParameters.AddTexts(command, "user_emails", members.Select(m => m.UserEmail));
            await command.ExecuteNonQueryAsync(w.CancellationToken);
        }
        await UpsertMembershipsAsync(w, teamId, members);
    }

    private static async Task UpsertMembershipsAsync(RegistryWrite w, string teamId, TeamMember[] members)
    {
        var ids = members.Select(m => m.UserId).ToArray();
        await w.ExecuteAsync(WithMembers(w.Command(LockMemberships), teamId, ids));
        var command = WithMembers(w.Command(UpsertMemberships), teamId, ids);
        RegistryParameters.AddTexts(command, "roles", members.Select(m => m.Role));
        await w.ExecuteAsync(command);
    }

    // A team's or a user's deletion: its keys, then the rows themselves, then its memberships are locked in that
    // (the global) order; then the keys, the memberships and the rows are deleted, each with its audit rows.
    private Task<RegistryDeletion> DeleteOwnersAsync(string operation, string[] sql, ImmutableArray<string> requested, AuditActor actor, CancellationToken cancellationToken)
    {
        var ids = DistinctIds(requested);
        if (ids.Length == 0)
        {
            return Task.FromResult(new RegistryDeletion([], []));
        }
        return DeleteAsync(operation, ids, actor, async w =>
        {
            for (var i = 0; i < 3; i++)
            {
                await w.ExecuteAsync(WithIds(w.Command(sql[i]), ids));
            }
            var keys = await w.TextsAsync(WithIds(w.Command(sql[3]), ids));
            await w.ExecuteAsync(WithIds(w.Command(sql[4]), ids));
            var deleted = await w.TextsAsync(WithIds(w.Command(sql[5]), ids));
            return new RegistryDeletion(Existing(ids, deleted), [.. keys.OfType<string>()]);
        }, cancellationToken);
    }

    // The six statements of DeleteOwnersAsync for teams (team_id) or users (user_id): fixed identifiers, no values.
    private static string[] OwnerDeletion(string table, string id) =>
    [
        $"""SELECT 1 FROM keys WHERE {id} = ANY(@ids) ORDER BY token COLLATE "C" FOR UPDATE""",
        $"""SELECT 1 FROM {table} WHERE {id} = ANY(@ids) ORDER BY {id} COLLATE "C" FOR UPDATE""",
        $"""SELECT 1 FROM team_memberships WHERE {id} = ANY(@ids) ORDER BY team_id COLLATE "C", user_id COLLATE "C" FOR UPDATE""",
        $"""
        WITH d AS (DELETE FROM keys WHERE {id} = ANY(@ids) RETURNING *)
        {Audit} 'deleted', 'keys', d.token, to_jsonb(d), NULL FROM d ORDER BY d.token COLLATE "C" RETURNING object_id
        """,
        $"""
        WITH d AS (DELETE FROM team_memberships WHERE {id} = ANY(@ids) RETURNING *)
        {Audit} 'deleted', 'team_memberships', d.team_id || '/' || d.user_id, to_jsonb(d), NULL
        FROM d ORDER BY d.team_id COLLATE "C", d.user_id COLLATE "C"
        """,
        $"""
        WITH d AS (DELETE FROM {table} WHERE {id} = ANY(@ids) RETURNING *)
        {Audit} 'deleted', '{table}', d.{id}, to_jsonb(d), NULL FROM d ORDER BY d.{id} COLLATE "C" RETURNING object_id
        """,
    ];

    private static string DailyReport(string column) => $"""
        SELECT g.* FROM (
            SELECT date AS day, NULLIF({column}, '') AS grp, model, sum(spend) AS spend, sum(prompt_tokens)::bigint AS prompt_tokens,
                   sum(completion_tokens)::bigint AS completion_tokens, sum(api_requests)::bigint AS requests
            FROM spend_daily
            WHERE date BETWEEN @start AND @end
            GROUP BY 1, 2, 3) g
        ORDER BY g.day, g.grp COLLATE "C" NULLS FIRST, g.model COLLATE "C"
        """;

    private static NpgsqlCommand WithIds(NpgsqlCommand command, string[] ids)
    {
        RegistryParameters.AddTexts(command, "ids", ids);
        return command;
    }

    private static NpgsqlCommand WithMembers(NpgsqlCommand command, string teamId, string[] userIds)
    {
        RegistryParameters.AddText(command, "team_id", teamId);
        RegistryParameters.AddTexts(command, "user_ids", userIds);
        return command;
    }

    // The ids once each, in the order asked; nulls and empties dropped.
    private static string[] DistinctIds(ImmutableArray<string> ids)
    {
        if (ids.IsDefaultOrEmpty)
        {
            return [];
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<string>(ids.Length);
        foreach (var id in ids)
        {
            if (!string.IsNullOrEmpty(id) && seen.Add(id))
            {
                distinct.Add(id);
            }
        }
        return [.. distinct];
    }

    // Of the ids asked for, those the statement reported, in the order asked.
    private static ImmutableArray<string> Existing(string[] asked, List<string?> reported)
    {
        var found = new HashSet<string?>(reported, StringComparer.Ordinal);
        return [.. asked.Where(found.Contains)];
    }

    private static DateTimeOffset CreatedAt(DateTimeOffset given, DateTimeOffset now) => given == default ? now : given;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
