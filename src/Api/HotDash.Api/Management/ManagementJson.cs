using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>
/// Writes registry objects in LiteLLM's shapes: keys as <c>LiteLLM_VerificationToken</c>, teams as
/// <c>LiteLLM_TeamTable</c>, users as <c>LiteLLM_UserTable</c>; times as Python's <c>isoformat()</c> in UTC.
/// </summary>
internal static class ManagementJson
{
    /// <summary>A time as LiteLLM (FastAPI) writes it: <c>2025-01-31T12:00:00.123456+00:00</c>.</summary>
    public static string FormatTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'+00:00'", CultureInfo.InvariantCulture);

    public static void Time(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } v)
        {
            w.WriteString(name, FormatTime(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void String(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    public static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void Number(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    public static void StringMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteString(k, v);
        }
        w.WriteEndObject();
    }

    public static void EmptyObject(Utf8JsonWriter w, string name)
    {
        w.WriteStartObject(name);
        w.WriteEndObject();
    }

    public static void EmptyArray(Utf8JsonWriter w, string name)
    {
        w.WriteStartArray(name);
        w.WriteEndArray();
    }

    /// <summary>Per-model limits; null when there are none (LiteLLM's default for <c>model_rpm_limit</c>).</summary>
    public static void CountMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> map)
    {
        if (map.Count == 0)
        {
            w.WriteNull(name);
            return;
        }
        w.WritePropertyName(name);
        CountMapValue(w, map);
    }

    private static void CountMapValue(Utf8JsonWriter w, IReadOnlyDictionary<string, long> map)
    {
        w.WriteStartObject();
        foreach (var (k, v) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(k, v);
        }
        w.WriteEndObject();
    }

    public static void MoneyMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, decimal> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(k, v);
        }
        w.WriteEndObject();
    }

    /// <summary><c>model_max_budget</c> as LiteLLM's <c>BudgetConfig</c>: <c>{"gpt-4o": {"budget_limit": 5, "time_period": "30d"}}</c>.</summary>
    public static void ModelBudgets(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, ModelBudget> map)
    {
        w.WriteStartObject(name);
        foreach (var (model, budget) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(model);
            w.WriteNumber("budget_limit", budget.BudgetLimit);
            String(w, "time_period", budget.TimePeriod is { } p ? LiteLlmDuration.Format(p) : null);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// <c>metadata</c>: the stored object, with <c>model_rpm_limit</c> / <c>model_tpm_limit</c> added where LiteLLM keeps
    /// them (in the metadata) unless the object has its own.
    /// </summary>
    public static void Metadata(Utf8JsonWriter w, string json, QuotaLimits limits)
    {
        w.WritePropertyName("metadata");
        if (limits.ModelRpmLimit.Count == 0 && limits.ModelTpmLimit.Count == 0)
        {
            w.WriteRawValue(string.IsNullOrWhiteSpace(json) ? "{}" : json);
            return;
        }
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        w.WriteStartObject();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            p.WriteTo(w);
        }
        if (limits.ModelRpmLimit.Count > 0 && !doc.RootElement.TryGetProperty("model_rpm_limit", out _))
        {
            w.WritePropertyName("model_rpm_limit");
            CountMapValue(w, limits.ModelRpmLimit);
        }
        if (limits.ModelTpmLimit.Count > 0 && !doc.RootElement.TryGetProperty("model_tpm_limit", out _))
        {
            w.WritePropertyName("model_tpm_limit");
            CountMapValue(w, limits.ModelTpmLimit);
        }
        w.WriteEndObject();
    }

    /// <summary>The properties of a key (<c>LiteLLM_VerificationToken</c>); <c>token</c> (the hash) only when asked.</summary>
    public static void KeyProperties(Utf8JsonWriter w, KeyDefinition key, bool withToken)
    {
        if (withToken)
        {
            w.WriteString("token", key.Token);
        }
        String(w, "key_name", key.KeyName);
        String(w, "key_alias", key.KeyAlias);
        w.WriteNumber("spend", key.Spend);
        Number(w, "max_budget", key.Limits.MaxBudget);
        Time(w, "expires", key.Expires);
        Strings(w, "models", key.Models);
        StringMap(w, "aliases", key.Aliases);
        EmptyObject(w, "config");
        String(w, "user_id", key.UserId);
        String(w, "team_id", key.TeamId);
        Number(w, "max_parallel_requests", key.Limits.MaxParallelRequests);
        Metadata(w, key.Metadata, key.Limits);
        Number(w, "tpm_limit", key.Limits.TpmLimit);
        Number(w, "rpm_limit", key.Limits.RpmLimit);
        String(w, "budget_duration", key.BudgetDuration);
        Time(w, "budget_reset_at", key.BudgetResetAt);
        EmptyArray(w, "allowed_cache_controls");
        EmptyArray(w, "allowed_routes");
        EmptyObject(w, "permissions");
        MoneyMap(w, "model_spend", key.ModelSpend);
        ModelBudgets(w, "model_max_budget", key.Limits.ModelMaxBudget);
        CountMap(w, "model_rpm_limit", key.Limits.ModelRpmLimit);
        CountMap(w, "model_tpm_limit", key.Limits.ModelTpmLimit);
        w.WriteBoolean("soft_budget_cooldown", false);
        w.WriteBoolean("blocked", key.Blocked);
        w.WriteNull("litellm_budget_table");
        w.WriteNull("org_id");
        Time(w, "created_at", key.CreatedAt);
        String(w, "created_by", key.CreatedBy);
        Time(w, "updated_at", key.UpdatedAt);
        String(w, "updated_by", key.UpdatedBy);
    }

    /// <summary>A key object.</summary>
    public static void Key(Utf8JsonWriter w, KeyDefinition key, bool withToken)
    {
        w.WriteStartObject();
        KeyProperties(w, key, withToken);
        w.WriteEndObject();
    }

    /// <summary>
    /// The answer of <c>/key/generate</c> and <c>/key/regenerate</c> (LiteLLM's <c>GenerateKeyResponse</c>): the key
    /// object with the new <c>sk-</c> key, shown this once, in <c>key</c>, and its hash in <c>token</c> and <c>token_id</c>.
    /// </summary>
    public static void GeneratedKey(Utf8JsonWriter w, KeyDefinition key, string rawKey, string? duration)
    {
        w.WriteStartObject();
        w.WriteString("key", rawKey);
        KeyProperties(w, key, withToken: true);
        w.WriteString("token_id", key.Token);
        String(w, "duration", duration);
        w.WriteNull("budget_id");
        w.WriteNull("soft_budget");
        w.WriteNull("tags");
        w.WriteNull("enforced_params");
        w.WriteEndObject();
    }

    public static void Member(Utf8JsonWriter w, TeamMember m)
    {
        w.WriteStartObject();
        w.WriteString("role", m.Role);
        w.WriteString("user_id", m.UserId);
        String(w, "user_email", m.UserEmail);
        w.WriteEndObject();
    }

    /// <summary>The properties of a team (<c>LiteLLM_TeamTable</c>).</summary>
    public static void TeamProperties(Utf8JsonWriter w, TeamDefinition team)
    {
        w.WriteString("team_id", team.TeamId);
        String(w, "team_alias", team.TeamAlias);
        w.WriteNull("organization_id");
        Strings(w, "admins", team.Members.Where(m => m.Role == "admin").Select(m => m.UserId));
        Strings(w, "members", team.Members.Where(m => m.Role != "admin").Select(m => m.UserId));
        w.WriteStartArray("members_with_roles");
        foreach (var m in team.Members)
        {
            Member(w, m);
        }
        w.WriteEndArray();
        Metadata(w, team.Metadata, team.Limits);
        Number(w, "tpm_limit", team.Limits.TpmLimit);
        Number(w, "rpm_limit", team.Limits.RpmLimit);
        Number(w, "max_budget", team.Limits.MaxBudget);
        String(w, "budget_duration", team.BudgetDuration);
        Strings(w, "models", team.Models);
        w.WriteBoolean("blocked", team.Blocked);
        w.WriteNumber("spend", team.Spend);
        Number(w, "max_parallel_requests", team.Limits.MaxParallelRequests);
        Time(w, "budget_reset_at", team.BudgetResetAt);
        w.WriteNull("model_id");
        MoneyMap(w, "model_spend", team.ModelSpend);
        ModelBudgets(w, "model_max_budget", team.Limits.ModelMaxBudget);
        CountMap(w, "model_rpm_limit", team.Limits.ModelRpmLimit);
        CountMap(w, "model_tpm_limit", team.Limits.ModelTpmLimit);
        w.WriteNull("litellm_model_table");
        Time(w, "created_at", team.CreatedAt);
        Time(w, "updated_at", team.UpdatedAt);
    }

    public static void Team(Utf8JsonWriter w, TeamDefinition team)
    {
        w.WriteStartObject();
        TeamProperties(w, team);
        w.WriteEndObject();
    }

    /// <summary>The properties of a user (<c>LiteLLM_UserTable</c>).</summary>
    public static void UserProperties(Utf8JsonWriter w, UserDefinition user)
    {
        w.WriteString("user_id", user.UserId);
        String(w, "user_alias", user.UserAlias);
        w.WriteNull("team_id");
        w.WriteNull("sso_user_id");
        w.WriteNull("organization_id");
        Strings(w, "teams", user.Teams);
        String(w, "user_role", user.UserRole);
        Number(w, "max_budget", user.Limits.MaxBudget);
        String(w, "budget_duration", user.BudgetDuration);
        Time(w, "budget_reset_at", user.BudgetResetAt);
        String(w, "user_email", user.UserEmail);
        Strings(w, "models", user.Models);
        Metadata(w, user.Metadata, user.Limits);
        Number(w, "max_parallel_requests", user.Limits.MaxParallelRequests);
        Number(w, "tpm_limit", user.Limits.TpmLimit);
        Number(w, "rpm_limit", user.Limits.RpmLimit);
        w.WriteNumber("spend", user.Spend);
        MoneyMap(w, "model_spend", user.ModelSpend);
        ModelBudgets(w, "model_max_budget", user.Limits.ModelMaxBudget);
        CountMap(w, "model_rpm_limit", user.Limits.ModelRpmLimit);
        CountMap(w, "model_tpm_limit", user.Limits.ModelTpmLimit);
        Time(w, "created_at", user.CreatedAt);
        Time(w, "updated_at", user.UpdatedAt);
    }

    public static void User(Utf8JsonWriter w, UserDefinition user)
    {
        w.WriteStartObject();
        UserProperties(w, user);
        w.WriteEndObject();
    }

    /// <summary>
    /// A list of keys as <c>/team/info</c> and <c>/user/info</c> show them: with their hashes (LiteLLM means to drop them
    /// there but drops them from a copy), so a client can go on to <c>/key/info</c> or <c>/key/update</c> by hash.
    /// </summary>
    public static void Keys(Utf8JsonWriter w, string name, ImmutableArray<KeyDefinition> keys)
    {
        w.WriteStartArray(name);
        foreach (var k in keys)
        {
            Key(w, k, withToken: true);
        }
        w.WriteEndArray();
    }
}
