using System.Collections.Immutable;
using HotDash.Grains;
using Npgsql;

namespace HotDash.Registry;

/// <summary>
/// The column lists the registry selects, and the definitions read back from them by ordinal. The limit columns come
/// in one block (<see cref="LimitColumns"/>) at the same place relative to each table's list, read by <see cref="ReadLimits"/>.
/// </summary>
internal static class RegistryRows
{
    private const string LimitColumns =
        "max_budget, budget_duration, budget_reset_at, tpm_limit, rpm_limit, max_parallel_requests, model_rpm_limit, model_tpm_limit, model_max_budget";

    /// <summary><c>keys</c> as <see cref="ReadKey"/> reads it.</summary>
    public const string KeyColumns =
        "token, key_name, key_alias, team_id, user_id, models, aliases, " + LimitColumns +
        ", metadata, blocked, expires, spend, model_spend, created_by, updated_by, created_at, updated_at";

    /// <summary><c>teams</c> (alias <c>t</c>) as <see cref="ReadTeam"/> reads it, followed by its members (three arrays in one order).</summary>
    public const string TeamSelect = """
        SELECT t.team_id, t.team_alias, t.models, t.max_budget, t.budget_duration, t.budget_reset_at, t.tpm_limit, t.rpm_limit,
               t.max_parallel_requests, t.model_rpm_limit, t.model_tpm_limit, t.model_max_budget, t.metadata, t.blocked, t.spend,
               t.model_spend, t.created_at, t.updated_at, m.user_ids, m.user_emails, m.roles
        FROM teams t
        LEFT JOIN LATERAL (
            SELECT array_agg(tm.user_id ORDER BY tm.created_at, tm.user_id COLLATE "C") AS user_ids,
                   array_agg(u.user_email ORDER BY tm.created_at, tm.user_id COLLATE "C") AS user_emails,
                   array_agg(tm.role ORDER BY tm.created_at, tm.user_id COLLATE "C") AS roles
            FROM team_memberships tm JOIN users u ON u.user_id = tm.user_id
            WHERE tm.team_id = t.team_id
        ) m ON true
        """;

    /// <summary><c>users</c> (alias <c>u</c>) as <see cref="ReadUser"/> reads it, followed by its teams.</summary>
    public const string UserSelect = """
        SELECT u.user_id, u.user_alias, u.user_email, u.user_role, u.models, u.max_budget, u.budget_duration, u.budget_reset_at,
               u.tpm_limit, u.rpm_limit, u.max_parallel_requests, u.model_rpm_limit, u.model_tpm_limit, u.model_max_budget,
               u.metadata, u.spend, u.model_spend, u.created_at, u.updated_at,
               ARRAY(SELECT tm.team_id FROM team_memberships tm WHERE tm.user_id = u.user_id
                     ORDER BY tm.created_at, tm.team_id COLLATE "C") AS teams
        FROM users u
        """;

    /// <summary><c>spend_logs</c> as <see cref="ReadSpend"/> reads it.</summary>
    public const string SpendColumns =
        "request_id, call_type, api_key, team_id, user_id, end_user, model, model_group, model_id, prompt_tokens, completion_tokens, " +
        "spend, start_time, end_time, status, cache_hit, metadata";

    /// <summary><c>projects</c> as <see cref="ReadProject"/> reads it.</summary>
    public const string ProjectColumns = "id, name, created_at";

    /// <summary><c>project_api_keys</c> as <see cref="ReadProjectKey"/> reads it.</summary>
    public const string ProjectKeyColumns = "public_key, secret_hash, display_secret_key, project_id, created_at, note";

    public static ProjectDefinition ReadProject(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2));

    public static ProjectKeyDefinition ReadProjectKey(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)) { Note = NullableString(r, 5) };

    public static KeyDefinition ReadKey(NpgsqlDataReader r)
    {
        var (limits, duration, resetAt) = ReadLimits(r, 7);
        return new KeyDefinition(r.GetString(0))
        {
            KeyName = NullableString(r, 1),
            KeyAlias = NullableString(r, 2),
            TeamId = NullableString(r, 3),
            UserId = NullableString(r, 4),
            Models = Strings(r, 5),
            Aliases = RegistryJson.ReadStrings(r.GetString(6)),
            Limits = limits,
            BudgetDuration = duration,
            BudgetResetAt = resetAt,
            Metadata = r.GetString(16),
            Blocked = r.GetBoolean(17),
            Expires = NullableTime(r, 18),
            Spend = r.GetDecimal(19),
            ModelSpend = RegistryJson.ReadDecimals(r.GetString(20)),
            CreatedBy = NullableString(r, 21),
            UpdatedBy = NullableString(r, 22),
            CreatedAt = r.GetFieldValue<DateTimeOffset>(23),
            UpdatedAt = r.GetFieldValue<DateTimeOffset>(24),
        };
    }

    public static TeamDefinition ReadTeam(NpgsqlDataReader r)
    {
        var (limits, duration, resetAt) = ReadLimits(r, 3);
        var members = ImmutableArray<TeamMember>.Empty;
        if (!r.IsDBNull(18))
        {
            var ids = r.GetFieldValue<string[]>(18);
            var emails = r.GetFieldValue<string?[]>(19);
            var roles = r.GetFieldValue<string[]>(20);
            var builder = ImmutableArray.CreateBuilder<TeamMember>(ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                builder.Add(new TeamMember(ids[i], emails[i], roles[i]));
            }
            members = builder.MoveToImmutable();
        }
        return new TeamDefinition(r.GetString(0))
        {
            TeamAlias = NullableString(r, 1),
            Models = Strings(r, 2),
            Limits = limits,
            BudgetDuration = duration,
            BudgetResetAt = resetAt,
            Metadata = r.GetString(12),
            Blocked = r.GetBoolean(13),
            Spend = r.GetDecimal(14),
            ModelSpend = RegistryJson.ReadDecimals(r.GetString(15)),
            CreatedAt = r.GetFieldValue<DateTimeOffset>(16),
            UpdatedAt = r.GetFieldValue<DateTimeOffset>(17),
            Members = members,
        };
    }

    public static UserDefinition ReadUser(NpgsqlDataReader r)
    {
        var (limits, duration, resetAt) = ReadLimits(r, 5);
        return new UserDefinition(r.GetString(0))
        {
            UserAlias = NullableString(r, 1),
            UserEmail = NullableString(r, 2),
            UserRole = NullableString(r, 3),
            Models = Strings(r, 4),
            Limits = limits,
            BudgetDuration = duration,
            BudgetResetAt = resetAt,
            Metadata = r.GetString(14),
            Spend = r.GetDecimal(15),
            ModelSpend = RegistryJson.ReadDecimals(r.GetString(16)),
            CreatedAt = r.GetFieldValue<DateTimeOffset>(17),
            UpdatedAt = r.GetFieldValue<DateTimeOffset>(18),
            Teams = Strings(r, 19),
        };
    }

    public static SpendRow ReadSpend(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(2), r.GetString(6), r.GetDecimal(11), r.GetFieldValue<DateTimeOffset>(12), r.GetFieldValue<DateTimeOffset>(13))
        {
            CallType = r.GetString(1),
            TeamId = NullableString(r, 3),
            UserId = NullableString(r, 4),
            EndUser = NullableString(r, 5),
            ModelGroup = r.GetString(7),
            DeploymentId = r.GetString(8),
            PromptTokens = r.GetInt64(9),
            CompletionTokens = r.GetInt64(10),
            Success = r.GetString(14) == "success",
            CacheHit = r.GetBoolean(15),
            Metadata = r.GetString(16),
        };

    // The LimitColumns block starting at ordinal o. budget_duration is kept as written and parsed for the limits.
    private static (QuotaLimits Limits, string? Duration, DateTimeOffset? ResetAt) ReadLimits(NpgsqlDataReader r, int o)
    {
        var duration = NullableString(r, o + 1);
        var limits = new QuotaLimits(
            RpmLimit: r.IsDBNull(o + 4) ? null : r.GetInt64(o + 4),
            TpmLimit: r.IsDBNull(o + 3) ? null : r.GetInt64(o + 3),
            MaxParallelRequests: r.IsDBNull(o + 5) ? null : r.GetInt32(o + 5),
            MaxBudget: r.IsDBNull(o) ? null : r.GetDecimal(o),
            BudgetDuration: LiteLlmDuration.TryParse(duration, out var period) ? period : null,
            ModelRpmLimit: RegistryJson.ReadLongs(r.GetString(o + 6)),
            ModelTpmLimit: RegistryJson.ReadLongs(r.GetString(o + 7)),
            ModelMaxBudget: RegistryJson.ReadBudgets(r.GetString(o + 8)));
        return (limits, duration, NullableTime(r, o + 2));
    }

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    private static ImmutableArray<string> Strings(NpgsqlDataReader r, int i) =>
        r.IsDBNull(i) ? [] : ImmutableArray.Create(r.GetFieldValue<string[]>(i));
}
