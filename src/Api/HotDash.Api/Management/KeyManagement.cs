using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Api.Management;

/// <summary>
/// LiteLLM's <c>/key/*</c> endpoints over the registry grain: <c>generate</c>, <c>update</c>, <c>delete</c>, <c>info</c>,
/// <c>list</c>, <c>block</c>, <c>unblock</c>, <c>regenerate</c>. Keys are taken as <c>sk-</c> keys or their hashes.
/// </summary>
internal sealed class KeyManagement(IClusterClient cluster, TimeProvider time, IOptions<ManagementSettings> settings, ILogger<KeyManagement> logger)
{
    private IRegistryGrain Registry => cluster.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    private UpperBounds Bounds => settings.Value.KeyUpperBounds;

    /// <summary><c>POST /key/generate</c>: a new key (or the client's own <c>sk-</c> key); answers it once, in <c>key</c>.</summary>
    public async Task<ManagementReply> GenerateAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            // Fields the request leaves out take their upper bound, as LiteLLM does.
            var f = new RequestFields(doc!.RootElement, Bounds.Fallback);
            var custom = f.String("key");
            if (custom is not null && VirtualKeys.Problem(custom) is { } problem)
            {
                f.Fail("key", problem);
            }
            var raw = custom ?? VirtualKeys.Generate();
            var now = time.GetUtcNow();
            var key = KeyFields.Apply(f, KeyFields.New(raw, now), now, out var duration);
            Bounds.Check(f, key, duration);
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            var result = await Registry.CreateKey(key, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.KeyGenerated(logger, key.KeyName, key.KeyAlias, key.TeamId, key.UserId, call.Actor.ChangedBy);
            var durationText = f.String("duration");
            return ManagementReply.Json(w => ManagementJson.GeneratedKey(w, key, raw, durationText));
        }
    }

    /// <summary><c>POST /key/update</c>: the fields given replace the key's (null clears one); answers the key.</summary>
    public async Task<ManagementReply> UpdateAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            var (existing, named, missing) = await FindAsync(f, allowAlias: true);
            if (missing is not null)
            {
                return ManagementReply.Error(missing);
            }
            var now = time.GetUtcNow();
            var key = KeyFields.Apply(f, existing!, now, out var duration);
            Bounds.Check(f, key, duration);
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            var result = await Registry.UpdateKey(key, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.KeyUpdated(logger, key.KeyName, call.Actor.ChangedBy);
            return ManagementReply.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("key", named);
                ManagementJson.KeyProperties(w, key, withToken: true);
                w.WriteEndObject();
            });
        }
    }

    /// <summary><c>POST /key/delete</c> with <c>keys</c> (<c>sk-</c> keys or hashes) or <c>key_aliases</c>; answers <c>deleted_keys</c>.</summary>
    public async Task<ManagementReply> DeleteAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            var keys = f.StringList("keys") ?? [];
            var aliases = f.StringList("key_aliases") ?? [];
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            if (keys.IsEmpty && aliases.IsEmpty)
            {
                return ManagementReply.Invalid("keys", "At least one of 'keys' or 'key_aliases' must be provided.");
            }
            // token -> what the request called it, so the answer lists the request's own values.
            var asked = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Length; i++)
            {
                if (!VirtualKeys.TryToken(keys[i], out var token))
                {
                    return ManagementReply.Invalid("keys", $"keys[{i}] must be an sk- key or its SHA-256 hash.");
                }
                asked.TryAdd(token, keys[i]);
            }
            foreach (var alias in aliases)
            {
                if (await Registry.GetKeyByAlias(alias) is { } byAlias)
                {
                    asked.TryAdd(byAlias.Token, alias);
                }
            }
            if (asked.Count == 0)
            {
                return ManagementReply.NotFound(keys.IsEmpty ? "key_aliases" : "keys", "No keys found.");
            }
            var deletion = await Registry.DeleteKeys([.. asked.Keys], call.Actor);
            if (deletion.Deleted.IsEmpty)
            {
                return ManagementReply.NotFound(keys.IsEmpty ? "key_aliases" : "keys", "No keys found.");
            }
            ManagementLog.KeysDeleted(logger, deletion.Deleted.Length, call.Actor.ChangedBy);
            return ManagementReply.Json(w =>
            {
                w.WriteStartObject();
                ManagementJson.Strings(w, "deleted_keys", deletion.Deleted.Select(t => asked.TryGetValue(t, out var name) ? name : t));
                w.WriteEndObject();
            });
        }
    }

    /// <summary><c>GET /key/info?key=</c>: <c>{"key": ..., "info": {...}}</c>.</summary>
    public async Task<ManagementReply> InfoAsync(ManagementCall call)
    {
        if (call.Query("key") is not { } named)
        {
            return ManagementReply.Invalid("key", "key is required: /key/info?key=sk-... (or the key's hash).");
        }
        if (!VirtualKeys.TryToken(named, out var token))
        {
            return ManagementReply.Invalid("key", "key must be an sk- key or its SHA-256 hash.");
        }
        if (await Registry.GetKey(token) is not { } key)
        {
            return ManagementReply.NotFound("key", "Key not found in database.");
        }
        return ManagementReply.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("key", named);
            w.WritePropertyName("info");
            ManagementJson.Key(w, key, withToken: false);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>GET /key/list</c> (<c>page</c>, <c>size</c>, <c>user_id</c>, <c>team_id</c>, <c>key_alias</c>, <c>key_hash</c>,
    /// <c>return_full_object</c>): hashes, or key objects, newest first.
    /// </summary>
    public async Task<ManagementReply> ListAsync(ManagementCall call)
    {
        ManagementError? error = null;
        var page = call.QueryInt("page", 1, 1, int.MaxValue, ref error);
        var size = call.QueryInt("size", 10, 1, 100, ref error);
        var full = call.QueryBool("return_full_object", ref error);
        var (userId, teamId, alias, hash) = (call.Query("user_id"), call.Query("team_id"), call.Query("key_alias"), call.Query("key_hash"));
        string? token = null;
        if (hash is not null && !VirtualKeys.TryToken(hash, out token))
        {
            error ??= ManagementError.Invalid("key_hash", "key_hash must be a key's SHA-256 hash (or the sk- key).");
        }
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        KeyPage result;
        if (token is not null)
        {
            var one = await Registry.GetKey(token);
            var match = one is not null && (userId is null || one.UserId == userId) && (teamId is null || one.TeamId == teamId)
                && (alias is null || one.KeyAlias == alias);
            result = new KeyPage(match && page == 1 ? [one!] : [], match ? 1 : 0);
        }
        else
        {
            result = await Registry.ListKeys(new KeyListQuery(teamId, userId, alias, page, size));
        }
        return ManagementReply.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var k in result.Keys)
            {
                if (full)
                {
                    ManagementJson.Key(w, k, withToken: true);
                }
                else
                {
                    w.WriteStringValue(k.Token);
                }
            }
            w.WriteEndArray();
            w.WriteNumber("total_count", result.TotalCount);
            w.WriteNumber("current_page", page);
            w.WriteNumber("total_pages", (result.TotalCount + size - 1) / size);
            w.WriteEndObject();
        });
    }

    /// <summary><c>POST /key/block</c>: the key is refused with 401 until unblocked; answers the key.</summary>
    public Task<ManagementReply> BlockAsync(ManagementCall call) => SetBlockedAsync(call, true);

    /// <summary><c>POST /key/unblock</c>.</summary>
    public Task<ManagementReply> UnblockAsync(ManagementCall call) => SetBlockedAsync(call, false);

    private async Task<ManagementReply> SetBlockedAsync(ManagementCall call, bool blocked)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            var (existing, _, missing) = await FindAsync(f, allowAlias: false);
            if (missing is not null)
            {
                return ManagementReply.Error(missing);
            }
            var key = existing! with { Blocked = blocked, UpdatedAt = time.GetUtcNow(), UpdatedBy = KeyFields.ProxyAdmin };
            var result = await Registry.UpdateKey(key, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.KeyBlockChanged(logger, key.KeyName, blocked ? "blocked" : "unblocked", call.Actor.ChangedBy);
            return ManagementReply.Json(w => ManagementJson.Key(w, key, withToken: true));
        }
    }

    /// <summary>
    /// <c>POST /key/{key}/regenerate</c> (or <c>/key/regenerate</c> with <c>{"key": ...}</c>): a new <c>sk-</c> key (or
    /// <c>new_key</c>) replaces the old one, which stops working at once; spend and limits move with it, and the body's
    /// other fields update the key as <c>/key/update</c> does.
    /// </summary>
    public async Task<ManagementReply> RegenerateAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            if (f.InBody("new_master_key"))
            {
                return ManagementReply.Invalid("new_master_key",
                    "HotDash does not rotate the master key through the API: change general_settings.master_key (or LITELLM_MASTER_KEY) and restart.");
            }
            var named = f.String("key") ?? call.Context.Request.RouteValues["key"] as string;
            if (f.Error is { } bad)
            {
                return ManagementReply.Error(bad);
            }
            if (string.IsNullOrWhiteSpace(named))
            {
                return ManagementReply.Invalid("key", "No key passed in: POST /key/{key}/regenerate, or /key/regenerate with {\"key\": \"sk-...\"}.");
            }
            if (!VirtualKeys.TryToken(named, out var oldToken))
            {
                return ManagementReply.Invalid("key", "key must be an sk- key or its SHA-256 hash.");
            }
            var newRaw = f.String("new_key");
            if (newRaw is not null && VirtualKeys.Problem(newRaw) is not null)
            {
                f.Fail("new_key", "New key must start with 'sk-'. This is to distinguish a key hash (used by litellm for logging / internal logic) from the actual key.");
            }
            if (f.Error is { } badNew)
            {
                return ManagementReply.Error(badNew);
            }
            if (await Registry.GetKey(oldToken) is not { } existing)
            {
                return ManagementReply.NotFound("key", $"Key {named} not found.");
            }
            var raw = newRaw ?? VirtualKeys.Generate();
            var now = time.GetUtcNow();
            var moved = existing with { Token = VirtualKeys.Hash(raw), KeyName = VirtualKeys.KeyName(raw) };
            var key = KeyFields.Apply(f, moved, now, out var duration);
            Bounds.Check(f, key, duration);
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            var result = await Registry.RegenerateKey(oldToken, key, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.KeyRegenerated(logger, existing.KeyName, key.KeyName, call.Actor.ChangedBy);
            var durationText = f.String("duration");
            return ManagementReply.Json(w => ManagementJson.GeneratedKey(w, key, raw, durationText));
        }
    }

    /// <summary>The key a body names with <c>key</c> (an <c>sk-</c> key or its hash), or with <c>key_alias</c> when allowed.</summary>
    private async Task<(KeyDefinition? Key, string Named, ManagementError? Error)> FindAsync(RequestFields f, bool allowAlias)
    {
        var named = f.String("key");
        if (f.Error is { } bad)
        {
            return (null, "", bad);
        }
        if (named is null)
        {
            if (allowAlias && f.Id("key_alias") is { } alias)
            {
                return await Registry.GetKeyByAlias(alias) is { } byAlias
                    ? (byAlias, alias, null)
                    : (null, alias, ManagementError.NotFound("key_alias", $"No key has key_alias '{alias}'."));
            }
            return (null, "", ManagementError.Invalid("key", allowAlias
                ? "key is required (the sk- key or its hash), or key_alias."
                : "key is required (the sk- key or its hash)."));
        }
        if (!VirtualKeys.TryToken(named, out var token))
        {
            return (null, named, ManagementError.Invalid("key", "Invalid key format: key must be an sk- key or its SHA-256 hash."));
        }
        return await Registry.GetKey(token) is { } key
            ? (key, named, null)
            : (null, named, ManagementError.NotFound("key", $"Key not found: {named}"));
    }
}
