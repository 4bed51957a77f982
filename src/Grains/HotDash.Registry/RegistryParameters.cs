using System.Collections.Immutable;
using HotDash.Grains;
using Npgsql;
using NpgsqlTypes;

namespace HotDash.Registry;

/// <summary>
/// Binds the definitions' fields to the named parameters the registry's statements use (<c>@token</c>, <c>@team_id</c>,
/// ..., and the limit block <c>@max_budget</c> ... <c>@model_max_budget</c>). Every parameter is typed, so a null needs no cast.
/// </summary>
internal static class RegistryParameters
{
    public static void Add(NpgsqlCommand command, string name, object? value, NpgsqlDbType type) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });

    public static void AddText(NpgsqlCommand command, string name, string? value) => Add(command, name, value, NpgsqlDbType.Text);

    public static void AddTexts(NpgsqlCommand command, string name, IEnumerable<string?> values) =>
        Add(command, name, values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);

    public static void AddJson(NpgsqlCommand command, string name, string? json) => Add(command, name, json, NpgsqlDbType.Jsonb);

    // timestamptz takes only UTC offsets from a DateTimeOffset.
    public static void AddTime(NpgsqlCommand command, string name, DateTimeOffset? value) =>
        Add(command, name, value?.ToUniversalTime(), NpgsqlDbType.TimestampTz);

    /// <summary>@token, @key_name, @key_alias, @team_id, @user_id, @models, @aliases, the limits, @metadata, @blocked, @expires, @spend, @model_spend.</summary>
    public static void AddKey(NpgsqlCommand command, KeyDefinition key)
    {
        AddText(command, "token", key.Token);
        AddText(command, "key_name", key.KeyName);
        AddText(command, "key_alias", key.KeyAlias);
        AddText(command, "team_id", key.TeamId);
        AddText(command, "user_id", key.UserId);
        AddTexts(command, "models", Models(key.Models));
        AddJson(command, "aliases", RegistryJson.WriteStrings(key.Aliases));
        AddLimits(command, key.Limits, key.BudgetDuration, key.BudgetResetAt);
        AddJson(command, "metadata", Metadata(key.Metadata));
        Add(command, "blocked", key.Blocked, NpgsqlDbType.Boolean);
        AddTime(command, "expires", key.Expires);
        Add(command, "spend", key.Spend, NpgsqlDbType.Numeric);
        AddJson(command, "model_spend", RegistryJson.WriteDecimals(key.ModelSpend));
    }

    /// <summary>@team_id, @team_alias, @models, the limits, @metadata, @blocked, @spend, @model_spend.</summary>
    public static void AddTeam(NpgsqlCommand command, TeamDefinition team)
    {
        AddText(command, "team_id", team.TeamId);
        AddText(command, "team_alias", team.TeamAlias);
        AddTexts(command, "models", Models(team.Models));
        AddLimits(command, team.Limits, team.BudgetDuration, team.BudgetResetAt);
        AddJson(command, "metadata", Metadata(team.Metadata));
        Add(command, "blocked", team.Blocked, NpgsqlDbType.Boolean);
        Add(command, "spend", team.Spend, NpgsqlDbType.Numeric);
        AddJson(command, "model_spend", RegistryJson.WriteDecimals(team.ModelSpend));
    }

    /// <summary>@user_id, @user_alias, @user_email, @user_role, @models, the limits, @metadata, @spend, @model_spend.</summary>
    public static void AddUser(NpgsqlCommand command, UserDefinition user)
    {
        AddText(command, "user_id", user.UserId);
        AddText(command, "user_alias", user.UserAlias);
        AddText(command, "user_email", user.UserEmail);
        AddText(command, "user_role", user.UserRole);
        AddTexts(command, "models", Models(user.Models));
        AddLimits(command, user.Limits, user.BudgetDuration, user.BudgetResetAt);
        AddJson(command, "metadata", Metadata(user.Metadata));
        Add(command, "spend", user.Spend, NpgsqlDbType.Numeric);
        AddJson(command, "model_spend", RegistryJson.WriteDecimals(user.ModelSpend));
    }

    /// <summary>The text stored in <c>budget_duration</c>: as written, else the parsed period in LiteLLM's form.</summary>
    public static string? Duration(QuotaLimits? limits, string? written) =>
        written ?? (limits?.BudgetDuration is { } period ? LiteLlmDuration.Format(period) : null);

    private static void AddLimits(NpgsqlCommand command, QuotaLimits? limits, string? duration, DateTimeOffset? resetAt)
    {
        limits ??= QuotaLimits.None;
        Add(command, "max_budget", limits.MaxBudget, NpgsqlDbType.Numeric);
        AddText(command, "budget_duration", Duration(limits, duration));
        AddTime(command, "budget_reset_at", resetAt);
        Add(command, "tpm_limit", limits.TpmLimit, NpgsqlDbType.Bigint);
        Add(command, "rpm_limit", limits.RpmLimit, NpgsqlDbType.Bigint);
        Add(command, "max_parallel_requests", limits.MaxParallelRequests, NpgsqlDbType.Integer);
        AddJson(command, "model_rpm_limit", RegistryJson.WriteLongs(limits.ModelRpmLimit));
        AddJson(command, "model_tpm_limit", RegistryJson.WriteLongs(limits.ModelTpmLimit));
        AddJson(command, "model_max_budget", RegistryJson.WriteBudgets(limits.ModelMaxBudget));
    }

    private static IEnumerable<string> Models(ImmutableArray<string> models) => models.IsDefault ? [] : models;

    private static string Metadata(string? json) => string.IsNullOrWhiteSpace(json) ? RegistryJson.EmptyObject : json;
}
