using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Api.Management;

/// <summary>LiteLLM's <c>/user/*</c> endpoints over the registry grain: <c>new</c> (the user and a key for it), <c>info</c>, <c>list</c>, <c>update</c>, <c>delete</c>.</summary>
internal sealed class UserManagement(IClusterClient cluster, TimeProvider time, IOptions<ManagementSettings> settings, ILogger<UserManagement> logger)
{
    // LiteLLM's /user/list paging: page_size defaults to 25 and is at most 100.
    private const int DefaultListPageSize = 25;
    private const int MaxListPageSize = 100;

    private IRegistryGrain Registry => cluster.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    private UpperBounds Bounds => settings.Value.KeyUpperBounds;

    /// <summary>
    /// <c>POST /user/new</c>: the user, and (unless <c>auto_create_key</c> is false) a key for it made from the same
    /// request (<c>models</c>, <c>aliases</c>, <c>duration</c>, <c>key_alias</c>, the rate limits; the budget stays the
    /// user's, as in LiteLLM) and its memberships of <c>teams</c>, in one write. The key is held to
    /// <c>upperbound_key_generate_params</c> as <c>/key/generate</c> is. Answers LiteLLM's <c>NewUserResponse</c>.
    /// </summary>
    public async Task<ManagementReply> NewAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            var now = time.GetUtcNow();
            var userId = f.Id("user_id") ?? Guid.NewGuid().ToString();
            var user = UserFields.Apply(f, new UserDefinition(userId) { CreatedAt = now }, now);
            var teams = Teams(f);
            var autoKey = f.Bool("auto_create_key") ?? true;
            string? raw = null;
            KeyDefinition? key = null;
            // The key's fields are read apart from the user's: the bounds fill in what the key leaves out, never the user.
            var kf = new RequestFields(doc.RootElement, Bounds.Fallback);
            if (autoKey)
            {
                raw = VirtualKeys.Generate();
                key = KeyFields.Apply(kf, KeyFields.New(raw, now), now, out var duration);
                // The budget is the user's; the key carries the rest of the request (LiteLLM's generate_key_helper_fn),
                // so only the bounds on what the key carries apply.
                key = key with
                {
                    UserId = userId,
                    Limits = key.Limits with { MaxBudget = null, BudgetDuration = null },
                    BudgetDuration = null,
                };
                (Bounds with { MaxBudget = null, BudgetDuration = null }).Check(kf, key, duration);
            }
            if ((f.Error ?? kf.Error) is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            // The registry makes the user a member of its teams in the same write (an unknown team refuses it all);
            // only a team admin role is set afterwards.
            user = user with { Teams = [.. teams.Select(t => t.TeamId)] };
            var result = await Registry.CreateUser(user, key, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.UserChanged(logger, userId, "created", call.Actor.ChangedBy);
            foreach (var (teamId, _) in teams.Where(t => t.Role == "admin"))
            {
                var added = await Registry.AddTeamMembers(teamId, [new TeamMember(userId, user.UserEmail, "admin")], call.Actor);
                if (!added.IsOk)
                {
                    ManagementLog.MembershipAfterCreateFailed(logger, call.Context.Request.Method, call.Context.Request.Path, teamId, added.Status, added.Message);
                    return ManagementReply.Error(ManagementError.FromRegistry(added));
                }
            }
            var stored = await Registry.GetUser(userId) ?? user;
            var durationText = (key is null ? f : kf).String("duration");
            return ManagementReply.Json(w => NewUserResponse(w, stored, key, raw, durationText));
        }
    }

    /// <summary><c>GET /user/info?user_id=</c>: <c>{"user_id", "user_info", "keys", "teams"}</c>.</summary>
    public async Task<ManagementReply> InfoAsync(ManagementCall call)
    {
        if (call.Query("user_id") is not { } userId)
        {
            return ManagementReply.Invalid("user_id", "user_id is required: /user/info?user_id=...");
        }
        if (await Registry.GetUser(userId) is not { } user)
        {
            return ManagementReply.NotFound("user_id", $"User {userId} not found");
        }
        var keys = await RegistryReads.AllKeysAsync(Registry, null, userId);
        var teams = await Registry.ListTeams(userId);
        return ManagementReply.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("user_id", userId);
            w.WritePropertyName("user_info");
            ManagementJson.User(w, user);
            ManagementJson.Keys(w, "keys", keys);
            w.WriteStartArray("teams");
            foreach (var team in teams.OrderBy(t => t.TeamAlias ?? "", StringComparer.Ordinal))
            {
                ManagementJson.Team(w, team);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary><c>POST /user/update</c>: the fields given replace the user's; answers <c>{"user_id", "data": {...}}</c>.</summary>
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
            var userId = f.Id("user_id");
            if (f.Error is { } bad)
            {
                return ManagementReply.Error(bad);
            }
            if (userId is null)
            {
                return ManagementReply.Invalid("user_id", f.InBody("user_email")
                    ? "user_id is required: HotDash finds users by user_id, not by user_email."
                    : "user_id is required.");
            }
            if (await Registry.GetUser(userId) is not { } existing)
            {
                return ManagementReply.NotFound("user_id", $"User {userId} not found");
            }
            var user = UserFields.Apply(f, existing, time.GetUtcNow());
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            var result = await Registry.UpdateUser(user, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.UserChanged(logger, userId, "updated", call.Actor.ChangedBy);
            var stored = await Registry.GetUser(userId) ?? user;
            return ManagementReply.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("user_id", userId);
                w.WritePropertyName("data");
                ManagementJson.User(w, stored);
                w.WriteEndObject();
            });
        }
    }

    /// <summary><c>POST /user/delete</c> with <c>user_ids</c>: the users, their memberships and keys. Answers the number deleted, as LiteLLM does.</summary>
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
            var ids = f.StringList("user_ids");
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            if (ids is not { IsEmpty: false } userIds)
            {
                return ManagementReply.Invalid("user_ids", "user_ids is required: a list of user ids.");
            }
            var deletion = await Registry.DeleteUsers([.. userIds.Distinct(StringComparer.Ordinal)], call.Actor);
            ManagementLog.UsersDeleted(logger, deletion.Deleted.Length, deletion.DeletedKeyTokens.Length, call.Actor.ChangedBy);
            return ManagementReply.Json(w => w.WriteNumberValue(deletion.Deleted.Length));
        }
    }

    /// <summary>
    /// <c>GET /user/list</c> as LiteLLM answers it: <c>page</c> (from 1, default 1), <c>page_size</c> (1 to 100, default
    /// 25), and the optional filters <c>user_ids</c> (comma separated), <c>role</c>, <c>team</c> and <c>user_email</c>
    /// (contained, ignoring case). Answers <c>{"users": [...], "total", "page", "page_size", "total_pages"}</c>, newest
    /// first; each user has the fields <c>/user/info</c>'s <c>user_info</c> has, and <c>key_count</c>.
    /// </summary>
    public async Task<ManagementReply> ListAsync(ManagementCall call)
    {
        ManagementError? error = null;
        var page = call.QueryInt("page", 1, 1, int.MaxValue, ref error);
        var size = call.QueryInt("page_size", DefaultListPageSize, 1, MaxListPageSize, ref error);
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        ImmutableArray<string> ids = call.Query("user_ids") is { } list
            ? [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)]
            : [];
        var query = new UserListQuery(ids, call.Query("role"), call.Query("team"), page, size) { UserEmail = call.Query("user_email") };
        // user_ids given but only commas: nobody matches, as LiteLLM's empty "in" list matches nobody.
        var result = call.Query("user_ids") is not null && ids.IsEmpty
            ? new UserPage([], 0)
            : await Registry.ListUsers(query);
        return ManagementReply.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("users");
            foreach (var user in result.Users)
            {
                w.WriteStartObject();
                ManagementJson.UserProperties(w, user);
                w.WriteNumber("key_count", result.KeyCounts.GetValueOrDefault(user.UserId));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("total", result.TotalCount);
            w.WriteNumber("page", page);
            w.WriteNumber("page_size", size);
            w.WriteNumber("total_pages", (result.TotalCount + (long)size - 1) / size);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// The teams to join: <c>teams</c> (team ids, or LiteLLM's <c>{"team_id", "user_role"}</c> objects) and the deprecated
    /// <c>team_id</c> (joined as a user, and the key's team).
    /// </summary>
    private static List<(string TeamId, string Role)> Teams(RequestFields f)
    {
        var teams = new List<(string, string)>();
        if (f.Array("teams", out var list))
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var path = $"teams[{i++}]";
                if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                {
                    teams.Add((item.GetString()!.Trim(), "user"));
                    continue;
                }
                if (item.ValueKind != JsonValueKind.Object)
                {
                    f.Fail("teams", $"{path} must be a team id or {{\"team_id\": \"...\", \"user_role\": \"user\"}}, not {RequestFields.Describe(item)}.");
                    break;
                }
                var entry = new RequestFields(item);
                var teamId = entry.Id("team_id");
                var role = entry.Id("user_role") ?? "user";
                if (entry.Money("max_budget_in_team") is not null)
                {
                    entry.Fail("max_budget_in_team", "a per-member budget within a team is not supported; set max_budget on the user.");
                }
                if (entry.Error is { } e)
                {
                    f.Fail("teams", $"{path}.{e.Param}: {e.Message}");
                    break;
                }
                if (teamId is null || role is not ("user" or "admin"))
                {
                    f.Fail("teams", teamId is null ? $"{path}.team_id is required." : $"{path}.user_role must be \"user\" or \"admin\", not \"{role}\".");
                    break;
                }
                teams.Add((teamId, role));
            }
        }
        if (f.Id("team_id") is { } single && !teams.Exists(t => t.Item1 == single))
        {
            teams.Add((single, "user"));
        }
        return teams;
    }

    /// <summary>LiteLLM's <c>NewUserResponse</c>: the key's fields (<c>key</c> is "" without one) and the user's.</summary>
    private static void NewUserResponse(Utf8JsonWriter w, UserDefinition user, KeyDefinition? key, string? raw, string? duration)
    {
        w.WriteStartObject();
        w.WriteString("key", raw ?? "");
        ManagementJson.String(w, "token", key?.Token);
        ManagementJson.String(w, "key_name", key?.KeyName);
        ManagementJson.String(w, "key_alias", key?.KeyAlias);
        ManagementJson.Time(w, "expires", key?.Expires);
        ManagementJson.String(w, "duration", duration);
        if (key is not null)
        {
            ManagementJson.StringMap(w, "aliases", key.Aliases);
        }
        else
        {
            ManagementJson.EmptyObject(w, "aliases");
        }
        w.WriteNull("budget_id");
        w.WriteString("user_id", user.UserId);
        ManagementJson.String(w, "user_alias", user.UserAlias);
        ManagementJson.String(w, "user_email", user.UserEmail);
        ManagementJson.String(w, "user_role", user.UserRole);
        ManagementJson.Strings(w, "teams", user.Teams);
        ManagementJson.String(w, "team_id", key?.TeamId);
        ManagementJson.Strings(w, "models", user.Models);
        w.WriteNumber("spend", user.Spend);
        ManagementJson.Number(w, "max_budget", user.Limits.MaxBudget);
        ManagementJson.String(w, "budget_duration", user.BudgetDuration);
        ManagementJson.Number(w, "max_parallel_requests", user.Limits.MaxParallelRequests);
        ManagementJson.Number(w, "tpm_limit", user.Limits.TpmLimit);
        ManagementJson.Number(w, "rpm_limit", user.Limits.RpmLimit);
        ManagementJson.Metadata(w, user.Metadata, user.Limits);
        ManagementJson.ModelBudgets(w, "model_max_budget", user.Limits.ModelMaxBudget);
        ManagementJson.CountMap(w, "model_rpm_limit", user.Limits.ModelRpmLimit);
        ManagementJson.CountMap(w, "model_tpm_limit", user.Limits.ModelTpmLimit);
        w.WriteBoolean("blocked", key?.Blocked ?? false);
        ManagementJson.String(w, "created_by", key?.CreatedBy ?? KeyFields.ProxyAdmin);
        ManagementJson.String(w, "updated_by", key?.UpdatedBy ?? KeyFields.ProxyAdmin);
        ManagementJson.Time(w, "created_at", user.CreatedAt);
        ManagementJson.Time(w, "updated_at", user.UpdatedAt);
        w.WriteEndObject();
    }
}
