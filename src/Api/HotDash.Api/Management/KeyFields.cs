using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>
/// The fields of LiteLLM's <c>GenerateKeyRequest</c> / <c>UpdateKeyRequest</c> that HotDash keeps, applied to a key:
/// each field the request sets replaces the key's value (null clears it), the rest are kept.
/// </summary>
internal static class KeyFields
{
    /// <summary>What <c>created_by</c> / <c>updated_by</c> say for the master key (LiteLLM's <c>litellm_proxy_admin_name</c>).</summary>
    public const string ProxyAdmin = "default_user_id";

    /// <summary>
    /// Applies the request to <paramref name="key"/>. <paramref name="duration"/> is the request's <c>duration</c>
    /// (<see cref="TimeSpan.MaxValue"/> for never, <see langword="null"/> when not given).
    /// </summary>
    public static KeyDefinition Apply(RequestFields f, KeyDefinition key, DateTimeOffset now, out TimeSpan? duration)
    {
        if (f.Given("key_alias"))
        {
            key = key with { KeyAlias = f.Id("key_alias") };
        }
        if (f.Given("team_id"))
        {
            key = key with { TeamId = f.Id("team_id") };
        }
        if (f.Given("user_id"))
        {
            key = key with { UserId = f.Id("user_id") };
        }
        if (f.Given("models"))
        {
            key = key with { Models = f.StringList("models") ?? [] };
        }
        if (f.Given("aliases"))
        {
            key = key with { Aliases = f.StringMap("aliases") ?? ImmutableDictionary<string, string>.Empty };
        }
        if (f.Given("metadata"))
        {
            key = key with { Metadata = f.ObjectText("metadata") ?? "{}" };
        }
        if (f.Given("blocked"))
        {
            key = key with { Blocked = f.Bool("blocked") ?? false };
        }
        duration = null;
        if (f.Given("duration"))
        {
            duration = Duration(f);
            key = key with { Expires = duration is { } d && d != TimeSpan.MaxValue ? now + d : null };
        }
        var (limits, budgetDuration) = LimitFields.Apply(f, key.Limits, key.BudgetDuration);
        return key with { Limits = limits, BudgetDuration = budgetDuration, UpdatedAt = now, UpdatedBy = ProxyAdmin };
    }

    /// <summary>A new key's definition before the request is applied.</summary>
    public static KeyDefinition New(string key, DateTimeOffset now) => new(VirtualKeys.Hash(key))
    {
        KeyName = VirtualKeys.KeyName(key),
        CreatedAt = now,
        UpdatedAt = now,
        CreatedBy = ProxyAdmin,
        UpdatedBy = ProxyAdmin,
    };

    // null or "-1": the key never expires (LiteLLM's rule on /key/update; taken on /key/generate too).
    private static TimeSpan? Duration(RequestFields f)
    {
        if (!f.TryGet("duration", out var v) || v.ValueKind == System.Text.Json.JsonValueKind.String && v.GetString()!.Trim() == "-1")
        {
            return TimeSpan.MaxValue;
        }
        return f.Duration("duration")?.Length;
    }
}
