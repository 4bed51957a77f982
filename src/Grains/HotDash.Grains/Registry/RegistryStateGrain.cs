using HotDash.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace HotDash.Grains.Registry;

/// <summary>
/// The embedded registry (no database configured): teams, users, memberships, keys, Langfuse projects with their API keys
/// and the most recent spend rows in one grain's persistent state (memory storage, or Redis when Redis is configured).
/// It checks what the PostgreSQL store checks, with the same answers: unknown <c>team_id</c> / <c>user_id</c>, duplicate <c>key_alias</c> /
/// <c>team_alias</c> / ids refused with 400 naming the field, updates of missing objects with 404.
/// </summary>
/// <remarks>
/// <para>One activation serves every call in turn, so each write is checked and applied without races, and it returns
/// only once its state is stored; a write that cannot be stored is undone in memory too (the last stored snapshot
/// is decoded again), so a refusal or a failure leaves the registry as it was.</para>
/// <para>Bounded memory: only the last <see cref="SpendLogCapacity"/> ledger rows are kept (for <c>/spend/logs</c>
/// and the spend report), and their request ids are the ones remembered (a retried batch is counted once): at least
/// <see cref="SeenRequestCapacity"/> of them once that many rows have come. Spend totals on keys, teams, users and
/// memberships are kept whole. There is no audit log without a database.</para>
/// <para>Stored in two parts through the same grain storage: the snapshot (state <c>registry</c>: definitions,
/// memberships, projects, totals, and where the ledger stands) and the ledger rows in a ring of
/// <see cref="SpendPageSlots"/> pages of <see cref="SpendPageRows"/> rows (states <c>registry-spend-{slot}</c>). A
/// spend batch writes the pages it filled, then the snapshot that commits them, so its cost follows the batch, not the
/// ledger; a page written without its snapshot is ignored when the grain activates again.</para>
/// </remarks>
public sealed partial class RegistryStateGrain(
    [PersistentState("registry", RegistryStateGrain.StorageName)] IPersistentState<RegistrySnapshot> state,
    [FromKeyedServices(RegistryStateGrain.StorageName)] IGrainStorage storage,
    Serializer serializer,
    TimeProvider time,
    ILogger<RegistryStateGrain> logger) : Grain, IRegistryStateGrain
{
    /// <summary>The grain storage of the snapshot and the ledger pages (the silo's <c>hotdash</c> storage).</summary>
    public const string StorageName = "hotdash";

    /// <summary>How many of the most recent ledger rows are kept, and so how many request ids are remembered for idempotency.</summary>
    public const int SpendLogCapacity = 20_000;

    /// <summary>
    /// How many request ids are remembered at most: the kept rows' ids, plus, after an upgrade from a snapshot that
    /// remembered ids beyond its rows, those older ids until newer rows take their place.
    /// </summary>
    public const int SeenRequestCapacity = SpendLogCapacity;

    private RegistryState S { get; set; } = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Restore();
        await LoadLedgerAsync();
    }

    public Task<KeyDefinition?> GetKey(string token) =>
        Task.FromResult(token is not null && S.Keys.TryGetValue(token, out var key) ? key : null);

    public Task<KeyDefinition?> GetKeyByAlias(string keyAlias) =>
        Task.FromResult(S.Keys.Values.FirstOrDefault(k => keyAlias is not null && string.Equals(k.KeyAlias, keyAlias, StringComparison.Ordinal)));

    public async Task<RegistryResult> CreateKey(KeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (CheckKey(key, "key", replacing: null, creatingUser: null) is { } refusal)
        {
            return refusal;
        }
        S.Keys[key.Token] = Created(key, actor, time.GetUtcNow());
        await CommitAsync("key create");
        return RegistryResult.Ok;
    }

    public async Task<RegistryResult> UpdateKey(KeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Token is null || !S.Keys.TryGetValue(key.Token, out var existing))
        {
            return KeyNotFound();
        }
        if (CheckKey(key, "key", replacing: key.Token, creatingUser: null) is { } refusal)
        {
            return refusal;
        }
        S.Keys[key.Token] = Kept(key, existing, actor);
        await CommitAsync("key update");
        return RegistryResult.Ok;
    }

    public async Task<RegistryResult> RegenerateKey(string oldToken, KeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (oldToken is null || !S.Keys.TryGetValue(oldToken, out var existing))
        {
            return KeyNotFound();
        }
        if (key.Token == oldToken)
        {
            return RegistryResult.Invalid("new_key", "the new key must differ from the old one");
        }
        if (CheckKey(key, "new_key", replacing: oldToken, creatingUser: null) is { } refusal)
        {
            return refusal;
        }
        S.Keys.Remove(oldToken);
        S.Keys[key.Token] = Kept(key, existing, actor);
        await CommitAsync("key regenerate");
        return RegistryResult.Ok;
    }

    public async Task<RegistryDeletion> DeleteKeys(ImmutableArray<string> tokens, AuditActor actor)
    {
        var deleted = ImmutableArray.CreateBuilder<string>();
        foreach (var token in Ids(tokens))
        {
            if (S.Keys.Remove(token))
            {
                deleted.Add(token);
            }
        }
        if (deleted.Count > 0)
        {
            await CommitAsync("key delete");
        }
        var result = deleted.ToImmutable();
        return new RegistryDeletion(result, result);
    }

    public Task<KeyPage> ListKeys(KeyListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matching = S.Keys.Values
            .Where(k => (query.TeamId is null || string.Equals(k.TeamId, query.TeamId, StringComparison.Ordinal))
                && (query.UserId is null || string.Equals(k.UserId, query.UserId, StringComparison.Ordinal))
                && (query.KeyAlias is null || string.Equals(k.KeyAlias, query.KeyAlias, StringComparison.Ordinal)))
            .OrderByDescending(k => k.CreatedAt)
            .ThenBy(k => k.Token, StringComparer.Ordinal)
            .ToList();
        var size = Math.Max(1, query.PageSize);
        var page = Math.Max(1, query.Page);
        var skip = (long)(page - 1) * size;
        ImmutableArray<KeyDefinition> keys = skip >= matching.Count ? [] : [.. matching.Skip((int)skip).Take(size)];
        return Task.FromResult(new KeyPage(keys, matching.Count));
    }

    public Task<TeamDefinition?> GetTeam(string teamId) =>
        Task.FromResult(teamId is not null && S.Teams.TryGetValue(teamId, out var team) ? WithMembers(team) : null);

    public async Task<RegistryResult> CreateTeam(TeamDefinition team, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(team);
        if (RegistryChecks.Team(team) is { } invalid)
        {
            return invalid;
        }
        if (S.Teams.ContainsKey(team.TeamId))
        {
            return RegistryResult.Invalid("team_id", $"team_id '{team.TeamId}' already exists");
        }
        if (CheckTeamAlias(team) is { } refusal)
        {
            return refusal;
        }
        var now = time.GetUtcNow();
        S.Teams[team.TeamId] = team with { Members = [], CreatedAt = team.CreatedAt == default ? now : team.CreatedAt, UpdatedAt = now };
        AddMembers(team.TeamId, team.Members, now);
        await CommitAsync("team create");
        return RegistryResult.Ok;
    }

    public async Task<RegistryResult> UpdateTeam(TeamDefinition team, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(team);
        if (RegistryChecks.Team(team) is { } invalid)
        {
            return invalid;
        }
        if (!S.Teams.TryGetValue(team.TeamId, out var existing))
        {
            return TeamNotFound(team.TeamId);
        }
        if (CheckTeamAlias(team) is { } refusal)
        {
            return refusal;
        }
        S.Teams[team.TeamId] = team with
        {
            Members = [],
            Spend = existing.Spend,
            ModelSpend = existing.ModelSpend,
            CreatedAt = existing.CreatedAt,
            UpdatedAt = time.GetUtcNow(),
        };
        await CommitAsync("team update");
        return RegistryResult.Ok;
    }

    public async Task<RegistryDeletion> DeleteTeams(ImmutableArray<string> teamIds, AuditActor actor)
    {
        var deleted = ImmutableArray.CreateBuilder<string>();
        var keys = ImmutableArray.CreateBuilder<string>();
        foreach (var id in Ids(teamIds))
        {
            if (!S.Teams.Remove(id))
            {
                continue;
            }
            deleted.Add(id);
            S.Memberships.RemoveAll(m => m.TeamId == id);
            keys.AddRange(RemoveKeys(k => k.TeamId == id));
        }
        if (deleted.Count > 0)
        {
            await CommitAsync("team delete");
        }
        return new RegistryDeletion(deleted.ToImmutable(), keys.ToImmutable());
    }

    public Task<ImmutableArray<TeamDefinition>> ListTeams(string? userId)
    {
        IEnumerable<TeamDefinition> teams = userId is null
            ? S.Teams.Values
            : S.Memberships.Where(m => m.UserId == userId).Select(m => S.Teams.GetValueOrDefault(m.TeamId)).OfType<TeamDefinition>();
        return Task.FromResult<ImmutableArray<TeamDefinition>>([.. teams
            .OrderBy(t => t.CreatedAt)
            .ThenBy(t => t.TeamId, StringComparer.Ordinal)
            .Select(WithMembers)]);
    }

    public async Task<RegistryResult> AddTeamMembers(string teamId, ImmutableArray<TeamMember> members, AuditActor actor)
    {
        if (teamId is null || !S.Teams.ContainsKey(teamId))
        {
            return TeamNotFound(teamId);
        }
        if (RegistryChecks.Members(members.IsDefault ? [] : members, "member") is { } refusal)
        {
            return refusal;
        }
        AddMembers(teamId, members, time.GetUtcNow());
        await CommitAsync("team member add");
        return RegistryResult.Ok;
    }

    public async Task<RegistryResult> RemoveTeamMembers(string teamId, ImmutableArray<string> userIds, AuditActor actor)
    {
        if (teamId is null || !S.Teams.ContainsKey(teamId))
        {
            return TeamNotFound(teamId);
        }
        var leaving = Ids(userIds).ToHashSet(StringComparer.Ordinal);
        if (leaving.FirstOrDefault(id => !S.Memberships.Exists(m => m.TeamId == teamId && m.UserId == id)) is { } stranger)
        {
            return RegistryResult.Invalid("user_id", $"user_id '{stranger}' is not a member of team '{teamId}'");
        }
        if (S.Memberships.RemoveAll(m => m.TeamId == teamId && leaving.Contains(m.UserId)) > 0)
        {
            await CommitAsync("team member delete");
        }
        return RegistryResult.Ok;
    }

    public Task<UserDefinition?> GetUser(string userId) =>
        Task.FromResult(userId is not null && S.Users.TryGetValue(userId, out var user) ? WithTeams(user) : null);

    public async Task<RegistryResult> CreateUser(UserDefinition user, KeyDefinition? key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (RegistryChecks.User(user) is { } invalid)
        {
            return invalid;
        }
        if (S.Users.ContainsKey(user.UserId))
        {
            return RegistryResult.Invalid("user_id", $"user_id '{user.UserId}' already exists");
        }
        // LiteLLM's /user/new puts the user in its teams as a plain member.
        var teams = Ids(user.Teams).ToList();
        if (teams.FirstOrDefault(t => !S.Teams.ContainsKey(t)) is { } unknownTeam)
        {
            return RegistryResult.Invalid("teams", $"team_id '{unknownTeam}' does not exist");
        }
        if (key is not null && CheckKey(key, "key", replacing: null, creatingUser: user.UserId) is { } refusal)
        {
            return refusal;
        }
        var now = time.GetUtcNow();
        S.Users[user.UserId] = user with { Teams = [], CreatedAt = user.CreatedAt == default ? now : user.CreatedAt, UpdatedAt = now };
        foreach (var teamId in teams)
        {
            SetMembership(teamId, user.UserId, RegistryChecks.UserRole, now);
        }
        if (key is not null)
        {
            S.Keys[key.Token] = Created(key, actor, now);
        }
        await CommitAsync("user create");
        return RegistryResult.Ok;
    }

    public async Task<RegistryResult> UpdateUser(UserDefinition user, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (RegistryChecks.User(user) is { } invalid)
        {
            return invalid;
        }
        if (!S.Users.TryGetValue(user.UserId, out var existing))
        {
            return RegistryResult.NotFound("user_id", $"user_id '{user.UserId}' does not exist");
        }
        S.Users[user.UserId] = user with
        {
            Teams = [],
            Spend = existing.Spend,
            ModelSpend = existing.ModelSpend,
            CreatedAt = existing.CreatedAt,
            UpdatedAt = time.GetUtcNow(),
        };
        await CommitAsync("user update");
        return RegistryResult.Ok;
    }

    public async Task<RegistryDeletion> DeleteUsers(ImmutableArray<string> userIds, AuditActor actor)
    {
        var deleted = ImmutableArray.CreateBuilder<string>();
        var keys = ImmutableArray.CreateBuilder<string>();
        foreach (var id in Ids(userIds))
        {
            if (!S.Users.Remove(id))
            {
                continue;
            }
            deleted.Add(id);
            S.Memberships.RemoveAll(m => m.UserId == id);
            keys.AddRange(RemoveKeys(k => k.UserId == id));
        }
        if (deleted.Count > 0)
        {
            await CommitAsync("user delete");
        }
        return new RegistryDeletion(deleted.ToImmutable(), keys.ToImmutable());
    }

    public Task<UserPage> ListUsers(UserListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        // The PostgreSQL store's filters and order: ids exact, role exact, team by membership, email contained ignoring case.
        var ids = query.UserIds.IsDefaultOrEmpty ? null : query.UserIds.ToHashSet(StringComparer.Ordinal);
        var matching = S.Users.Values
            .Where(u => (ids is null || ids.Contains(u.UserId))
                && (query.UserRole is null || string.Equals(u.UserRole, query.UserRole, StringComparison.Ordinal))
                && (query.TeamId is null || S.Memberships.Exists(m => m.TeamId == query.TeamId && m.UserId == u.UserId))
                && (query.UserEmail is null || (u.UserEmail?.Contains(query.UserEmail, StringComparison.OrdinalIgnoreCase) ?? false)))
            .OrderByDescending(u => u.CreatedAt)
            .ThenBy(u => u.UserId, StringComparer.Ordinal)
            .ToList();
        var size = Math.Max(1, query.PageSize);
        var page = Math.Max(1, query.Page);
        var skip = (long)(page - 1) * size;
        ImmutableArray<UserDefinition> users = skip >= matching.Count ? [] : [.. matching.Skip((int)skip).Take(size).Select(WithTeams)];
        var onPage = users.Select(u => u.UserId).ToHashSet(StringComparer.Ordinal);
        var counts = users.ToDictionary(u => u.UserId, _ => 0, StringComparer.Ordinal);
        foreach (var key in S.Keys.Values)
        {
            if (key.UserId is { } owner && onPage.Contains(owner))
            {
                counts[owner]++;
            }
        }
        return Task.FromResult(new UserPage(users, matching.Count) { KeyCounts = counts.ToImmutableDictionary(StringComparer.Ordinal) });
    }

    public Task<ImmutableArray<SpendRow>> GetSpendLogs(SpendLogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = _window.Rows
            .Where(r => (query.KeyHash is null || r.KeyHash == query.KeyHash)
                && (query.TeamId is null || r.TeamId == query.TeamId)
                && (query.UserId is null || r.UserId == query.UserId)
                && (query.RequestId is null || r.RequestId == query.RequestId)
                && (query.Start is not { } start || r.StartTime >= start)
                && (query.End is not { } end || r.StartTime < end))
            .OrderByDescending(r => r.StartTime)
            .ThenByDescending(r => r.RequestId, StringComparer.Ordinal)
            .Take(Math.Max(0, query.Limit));
        return Task.FromResult<ImmutableArray<SpendRow>>([.. rows]);
    }

    public Task<ImmutableArray<SpendReportRow>> GetSpendReport(SpendReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        Func<SpendRow, string?> group = (query.GroupBy is null or "" ? SpendGroupBy.Team : query.GroupBy) switch
        {
            SpendGroupBy.Team => r => NullIfEmpty(r.TeamId),
            SpendGroupBy.ApiKey => r => NullIfEmpty(r.KeyHash),
            SpendGroupBy.User => r => NullIfEmpty(r.UserId),
            SpendGroupBy.Customer => r => NullIfEmpty(r.EndUser),
            _ => throw new ArgumentException($"group_by '{query.GroupBy}' is not one of team, api_key, user, customer", nameof(query)),
        };
        var report = _window.Rows
            .Select(r => (Row: r, Day: DateOnly.FromDateTime(r.StartTime.UtcDateTime)))
            .Where(x => x.Day >= query.Start && x.Day <= query.End)
            .GroupBy(x => (x.Day, Group: group(x.Row), Model: ModelName(x.Row)))
            .Select(g => new SpendReportRow(g.Key.Day, g.Key.Group, g.Key.Model,
                g.Sum(x => x.Row.Spend), g.Sum(x => x.Row.PromptTokens), g.Sum(x => x.Row.CompletionTokens), g.Count()))
            .OrderBy(r => r.Day)
            .ThenBy(r => r.Group, StringComparer.Ordinal)
            .ThenBy(r => r.Model, StringComparer.Ordinal);
        return Task.FromResult<ImmutableArray<SpendReportRow>>([.. report]);
    }

    public async Task<int> WriteSpend(ImmutableArray<SpendRow> rows)
    {
        if (rows.IsDefaultOrEmpty)
        {
            return 0;
        }
        foreach (var row in rows)
        {
            // The ledger writer's rules, so a batch the embedded registry takes is one PostgreSQL would take too.
            SpendLedgerWriter.Validate(row);
        }
        var batch = new HashSet<string>(StringComparer.Ordinal);
        var fresh = rows
            .OrderBy(r => r.RequestId, StringComparer.Ordinal)
            .Where(r => !Seen(r.RequestId) && batch.Add(r.RequestId))
            .ToArray();
        // A batch larger than the ring's spare pages is stored in parts, each all or nothing (see SpendAtomicRows).
        foreach (var part in fresh.Chunk(SpendAtomicRows))
        {
            await WriteSpendPartAsync(part);
        }
        RegistryGrainLog.SpendWritten(logger, rows.Length, fresh.Length);
        return fresh.Length;
    }

    // Adds a new ledger row to the spend of its key, team, user and membership, as the ledger writer does.
    private void Count(SpendRow row)
    {
        var model = ModelName(row);
        if (row.KeyHash.Length > 0 && S.Keys.TryGetValue(row.KeyHash, out var key))
        {
            S.Keys[key.Token] = key with { Spend = key.Spend + row.Spend, ModelSpend = Add(key.ModelSpend, model, row.Spend) };
        }
        if (row.TeamId is { } teamId && S.Teams.TryGetValue(teamId, out var team))
        {
            S.Teams[teamId] = team with { Spend = team.Spend + row.Spend, ModelSpend = Add(team.ModelSpend, model, row.Spend) };
        }
        if (row.UserId is { } userId && S.Users.TryGetValue(userId, out var user))
        {
            S.Users[userId] = user with { Spend = user.Spend + row.Spend, ModelSpend = Add(user.ModelSpend, model, row.Spend) };
        }
        if (row.TeamId is not null && row.UserId is not null)
        {
            var i = S.Memberships.FindIndex(m => m.TeamId == row.TeamId && m.UserId == row.UserId);
            if (i >= 0)
            {
                S.Memberships[i] = S.Memberships[i] with { Spend = S.Memberships[i].Spend + row.Spend };
            }
        }
    }

    private async Task CommitAsync(string operation)
    {
        var stored = state.State.Data;
        state.State.Data = serializer.SerializeToArray(S);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // All or nothing: what storage did not take must not stay in memory either.
            RegistryGrainLog.WriteFailed(logger, e, operation);
            state.State.Data = stored;
            Restore();
            throw;
        }
    }

    // The registry as last stored (the ledger rows in memory change only once stored, so they need no undoing).
    private void Restore()
    {
        S = (state.State.Data is { Length: > 0 } data ? serializer.Deserialize<RegistryState>(data) : null) ?? new RegistryState();
        EnsureDefaultProject();
        RestoreLedgerState();
    }

    // The PostgreSQL store's checks and wording, so both stores refuse the same writes the same way.
    private RegistryResult? CheckKey(KeyDefinition key, string param, string? replacing, string? creatingUser)
    {
        if (RegistryChecks.Key(key, param) is { } invalid)
        {
            return invalid;
        }
        if (key.Token != replacing && S.Keys.ContainsKey(key.Token))
        {
            return RegistryResult.Invalid(param, "this key already exists");
        }
        if (key.TeamId is { } teamId && !S.Teams.ContainsKey(teamId))
        {
            return RegistryResult.Invalid("team_id", $"team_id '{teamId}' does not exist");
        }
        if (key.UserId is { } userId && userId != creatingUser && !S.Users.ContainsKey(userId))
        {
            return RegistryResult.Invalid("user_id", $"user_id '{userId}' does not exist");
        }
        if (key.KeyAlias is { } alias && S.Keys.Values.Any(k => k.Token != replacing && k.Token != key.Token && string.Equals(k.KeyAlias, alias, StringComparison.Ordinal)))
        {
            return RegistryResult.Invalid("key_alias", $"key_alias '{alias}' is already used by another key");
        }
        return null;
    }

    private RegistryResult? CheckTeamAlias(TeamDefinition team) =>
        team.TeamAlias is { } alias && S.Teams.Values.Any(t => t.TeamId != team.TeamId && string.Equals(t.TeamAlias, alias, StringComparison.Ordinal))
            ? RegistryResult.Invalid("team_alias", $"team_alias '{alias}' is already used by another team")
            : null;

    // Members that are not users yet become users (LiteLLM's /team/new and /team/member_add do the same).
    private void AddMembers(string teamId, ImmutableArray<TeamMember> members, DateTimeOffset now)
    {
        if (members.IsDefault)
        {
            return;
        }
        foreach (var member in members)
        {
            if (!S.Users.ContainsKey(member.UserId))
            {
                S.Users[member.UserId] = new UserDefinition(member.UserId) { UserEmail = member.UserEmail, CreatedAt = now, UpdatedAt = now };
            }
            SetMembership(teamId, member.UserId, member.Role, now);
        }
    }

    private void SetMembership(string teamId, string userId, string role, DateTimeOffset now)
    {
        var i = S.Memberships.FindIndex(m => m.TeamId == teamId && m.UserId == userId);
        if (i >= 0)
        {
            S.Memberships[i] = S.Memberships[i] with { Role = role };
        }
        else
        {
            S.Memberships.Add(new RegistryMembership(teamId, userId, role, 0m, now));
        }
    }

    private List<string> RemoveKeys(Func<KeyDefinition, bool> match)
    {
        var tokens = S.Keys.Values.Where(match).Select(k => k.Token).ToList();
        foreach (var token in tokens)
        {
            S.Keys.Remove(token);
        }
        return tokens;
    }

    // Members and teams in the order they joined (the same write: by id), as the PostgreSQL store lists them.
    private TeamDefinition WithMembers(TeamDefinition team) => team with
    {
        Members = [.. S.Memberships
            .Where(m => m.TeamId == team.TeamId)
            .OrderBy(m => m.CreatedAt)
            .ThenBy(m => m.UserId, StringComparer.Ordinal)
            .Select(m => new TeamMember(m.UserId, S.Users.TryGetValue(m.UserId, out var u) ? u.UserEmail : null, m.Role))],
    };

    private UserDefinition WithTeams(UserDefinition user) => user with
    {
        Teams = [.. S.Memberships
            .Where(m => m.UserId == user.UserId)
            .OrderBy(m => m.CreatedAt)
            .ThenBy(m => m.TeamId, StringComparer.Ordinal)
            .Select(m => m.TeamId)],
    };

    private static KeyDefinition Created(KeyDefinition key, AuditActor actor, DateTimeOffset now) => key with
    {
        CreatedBy = key.CreatedBy ?? NullIfEmpty(actor?.ChangedBy),
        UpdatedBy = key.UpdatedBy ?? NullIfEmpty(actor?.ChangedBy),
        CreatedAt = key.CreatedAt == default ? now : key.CreatedAt,
        UpdatedAt = now,
    };

    // What a replacing write keeps of the stored key: what the ledger owns (spend) and what was set at creation.
    private KeyDefinition Kept(KeyDefinition key, KeyDefinition existing, AuditActor actor) => key with
    {
        KeyName = key.KeyName ?? existing.KeyName,
        Spend = existing.Spend,
        ModelSpend = existing.ModelSpend,
        CreatedBy = existing.CreatedBy,
        UpdatedBy = key.UpdatedBy ?? NullIfEmpty(actor?.ChangedBy),
        CreatedAt = existing.CreatedAt,
        UpdatedAt = time.GetUtcNow(),
    };

    private static RegistryResult KeyNotFound() => RegistryResult.NotFound("key", "key not found");

    private static RegistryResult TeamNotFound(string? teamId) => RegistryResult.NotFound("team_id", $"team_id '{teamId}' does not exist");

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static IEnumerable<string> Ids(ImmutableArray<string> ids) =>
        ids.IsDefaultOrEmpty ? [] : ids.Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal);

    // The public model name (the model group) when the row has one, as the ledger's rollups count.
    private static string ModelName(SpendRow row) => row.ModelGroup is { Length: > 0 } group ? group : row.Model;

    private static ImmutableDictionary<string, decimal> Add(ImmutableDictionary<string, decimal>? spend, string model, decimal amount)
    {
        spend ??= ImmutableDictionary<string, decimal>.Empty;
        return spend.SetItem(model, spend.GetValueOrDefault(model) + amount);
    }
}
