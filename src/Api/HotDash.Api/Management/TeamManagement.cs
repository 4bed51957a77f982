using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Api.Management;

/// <summary>
/// LiteLLM's <c>/team/*</c> endpoints over the registry grain: <c>new</c> (with <c>default_team_params</c> for the fields
/// left out), <c>update</c>, <c>delete</c>, <c>info</c>, <c>list</c>, <c>member_add</c>, <c>member_delete</c>,
/// <c>block</c>, <c>unblock</c>.
/// </summary>
internal sealed class TeamManagement(IClusterClient cluster, TimeProvider time, IOptions<ManagementSettings> settings, ILogger<TeamManagement> logger)
{
    private IRegistryGrain Registry => cluster.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    /// <summary><c>POST /team/new</c>: answers the team (<c>LiteLLM_TeamTable</c>).</summary>
    public async Task<ManagementReply> NewAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement, settings.Value.DefaultTeamParams);
            var now = time.GetUtcNow();
            var teamId = f.Id("team_id") ?? Guid.NewGuid().ToString();
            var team = TeamFields.Apply(f, new TeamDefinition(teamId) { CreatedAt = now }, now) with { Members = TeamFields.Members(f) };
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            var result = await Registry.CreateTeam(team, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.TeamChanged(logger, team.TeamId, team.TeamAlias, "created", call.Actor.ChangedBy);
            var stored = await Registry.GetTeam(teamId) ?? team;
            return ManagementReply.Json(w => ManagementJson.Team(w, stored));
        }
    }

    /// <summary><c>POST /team/update</c>: the fields given replace the team's; answers <c>{"team_id", "data": {...}}</c>.</summary>
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
            var teamId = f.Id("team_id");
            if (f.Error is { } bad)
            {
                return ManagementReply.Error(bad);
            }
            if (teamId is null)
            {
                return ManagementReply.Invalid("team_id", "team_id is required.");
            }
            if (await Registry.GetTeam(teamId) is not { } existing)
            {
                return ManagementReply.NotFound("team_id", $"Team not found, passed team_id={teamId}");
            }
            var team = TeamFields.Apply(f, existing, time.GetUtcNow());
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            var result = await Registry.UpdateTeam(team, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.TeamChanged(logger, team.TeamId, team.TeamAlias, "updated", call.Actor.ChangedBy);
            var stored = await Registry.GetTeam(teamId) ?? team;
            return ManagementReply.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("team_id", teamId);
                w.WritePropertyName("data");
                ManagementJson.Team(w, stored);
                w.WriteEndObject();
            });
        }
    }

    /// <summary><c>POST /team/block</c> with <c>team_id</c>: every key of the team is refused with 401 until unblocked; answers the team.</summary>
    public Task<ManagementReply> BlockAsync(ManagementCall call) => SetBlockedAsync(call, true);

    /// <summary><c>POST /team/unblock</c>.</summary>
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
            var teamId = f.Id("team_id");
            if (f.Error is { } bad)
            {
                return ManagementReply.Error(bad);
            }
            if (teamId is null)
            {
                return ManagementReply.Invalid("team_id", "team_id is required.");
            }
            if (await Registry.GetTeam(teamId) is not { } existing)
            {
                return ManagementReply.NotFound("team_id", $"Team not found, passed team_id={teamId}");
            }
            var team = existing with { Blocked = blocked, UpdatedAt = time.GetUtcNow() };
            var result = await Registry.UpdateTeam(team, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.TeamChanged(logger, team.TeamId, team.TeamAlias, blocked ? "blocked" : "unblocked", call.Actor.ChangedBy);
            // LiteLLM answers the updated team row itself (not /team/update's {"team_id", "data"} wrapper).
            var stored = await Registry.GetTeam(teamId) ?? team;
            return ManagementReply.Json(w => ManagementJson.Team(w, stored));
        }
    }

    /// <summary><c>POST /team/delete</c> with <c>team_ids</c>: every team must exist, else nothing is deleted (404); their keys go too.</summary>
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
            var ids = f.StringList("team_ids");
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            if (ids is not { IsEmpty: false } teamIds)
            {
                return ManagementReply.Invalid("team_ids", "team_ids is required: a list of team ids.");
            }
            foreach (var id in teamIds)
            {
                if (await Registry.GetTeam(id) is null)
                {
                    return ManagementReply.NotFound("team_ids", $"Team not found, passed team_id={id}");
                }
            }
            var deletion = await Registry.DeleteTeams([.. teamIds.Distinct(StringComparer.Ordinal)], call.Actor);
            ManagementLog.TeamsDeleted(logger, deletion.Deleted.Length, deletion.DeletedKeyTokens.Length, call.Actor.ChangedBy);
            return ManagementReply.Json(w =>
            {
                w.WriteStartObject();
                ManagementJson.Strings(w, "deleted_teams", deletion.Deleted);
                w.WriteEndObject();
            });
        }
    }

    /// <summary><c>GET /team/info?team_id=</c>: <c>{"team_id", "team_info", "keys", "team_memberships"}</c>.</summary>
    public async Task<ManagementReply> InfoAsync(ManagementCall call)
    {
        if (call.Query("team_id") is not { } teamId)
        {
            return ManagementReply.Invalid("team_id", "team_id is required: /team/info?team_id=...");
        }
        if (await Registry.GetTeam(teamId) is not { } team)
        {
            return ManagementReply.NotFound("team_id", $"Team not found, passed team id: {teamId}.");
        }
        var keys = await RegistryReads.AllKeysAsync(Registry, teamId, null);
        return ManagementReply.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("team_id", teamId);
            w.WritePropertyName("team_info");
            ManagementJson.Team(w, team);
            ManagementJson.Keys(w, "keys", keys);
            // Per-member budgets (LiteLLM_TeamMembership rows) are not kept: none to list.
            ManagementJson.EmptyArray(w, "team_memberships");
            w.WriteEndObject();
        });
    }

    /// <summary><c>GET /team/list</c> (optionally <c>user_id</c>): every team with its keys, by <c>team_alias</c>.</summary>
    public async Task<ManagementReply> ListAsync(ManagementCall call)
    {
        var userId = call.Query("user_id");
        var teams = await Registry.ListTeams(userId);
        var withKeys = new List<(TeamDefinition Team, ImmutableArray<KeyDefinition> Keys)>(teams.Length);
        foreach (var team in teams.OrderBy(t => t.TeamAlias ?? "", StringComparer.Ordinal))
        {
            withKeys.Add((team, await RegistryReads.AllKeysAsync(Registry, team.TeamId, null)));
        }
        return ManagementReply.Json(w =>
        {
            w.WriteStartArray();
            foreach (var (team, keys) in withKeys)
            {
                w.WriteStartObject();
                ManagementJson.TeamProperties(w, team);
                ManagementJson.Keys(w, "keys", keys);
                ManagementJson.EmptyArray(w, "team_memberships");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// <c>POST /team/member_add</c> with <c>team_id</c> and <c>member</c> (one LiteLLM <c>Member</c> or a list): users that
    /// do not exist yet are created; a user already in the team is refused (400), as LiteLLM does.
    /// </summary>
    public async Task<ManagementReply> MemberAddAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            var teamId = f.Id("team_id");
            var members = new List<TeamMember>();
            if (f.TryGet("member", out var member))
            {
                if (member.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var item in member.EnumerateArray())
                    {
                        if (TeamFields.Member(f, item, "member", $"member[{i++}]") is { } m)
                        {
                            members.Add(m);
                        }
                    }
                }
                else if (TeamFields.Member(f, member, "member", "member") is { } m)
                {
                    members.Add(m);
                }
            }
            if (f.Money("max_budget_in_team") is not null)
            {
                f.Fail("max_budget_in_team", "max_budget_in_team (a per-member budget within a team) is not supported; set max_budget on the user (/user/update) or on the member's keys.");
            }
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            if (teamId is null)
            {
                return ManagementReply.Invalid("team_id", "team_id is required.");
            }
            if (members.Count == 0)
            {
                return ManagementReply.Invalid("member", "member is required: {\"role\": \"user\", \"user_id\": \"...\"} or a list of them.");
            }
            if (await Registry.GetTeam(teamId) is not { } team)
            {
                return ManagementReply.NotFound("team_id", $"Team not found for team_id={teamId}");
            }
            foreach (var m in members)
            {
                if (team.Members.Any(e => e.UserId == m.UserId))
                {
                    return ManagementReply.Invalid("member", $"User={m.UserId} already in team. Existing members={string.Join(", ", team.Members.Select(e => e.UserId))}");
                }
            }
            var added = TeamFields.Distinct(members);
            var result = await Registry.AddTeamMembers(teamId, added, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.MembersChanged(logger, teamId, added.Length, "added", call.Actor.ChangedBy);
            var updated = await Registry.GetTeam(teamId) ?? team with { Members = [.. team.Members, .. added] };
            var users = new List<UserDefinition>(added.Length);
            foreach (var m in added)
            {
                if (await Registry.GetUser(m.UserId) is { } u)
                {
                    users.Add(u);
                }
            }
            return ManagementReply.Json(w =>
            {
                w.WriteStartObject();
                ManagementJson.TeamProperties(w, updated);
                w.WriteStartArray("updated_users");
                foreach (var u in users)
                {
                    ManagementJson.User(w, u);
                }
                w.WriteEndArray();
                ManagementJson.EmptyArray(w, "updated_team_memberships");
                w.WriteEndObject();
            });
        }
    }

    /// <summary><c>POST /team/member_delete</c> with <c>team_id</c> and <c>user_id</c> or <c>user_email</c>; answers the team. The user's keys stay.</summary>
    public async Task<ManagementReply> MemberDeleteAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            var teamId = f.Id("team_id");
            var userId = f.Id("user_id");
            var email = f.Id("user_email");
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            if (teamId is null)
            {
                return ManagementReply.Invalid("team_id", "team_id is required.");
            }
            if (userId is null && email is null)
            {
                return ManagementReply.Invalid("user_id", "Either user_id or user_email needs to be passed in.");
            }
            if (await Registry.GetTeam(teamId) is not { } team)
            {
                return ManagementReply.Invalid("team_id", $"Team id={teamId} does not exist in db");
            }
            var removed = team.Members.Where(m => userId is not null ? m.UserId == userId : m.UserEmail == email).Select(m => m.UserId).ToImmutableArray();
            if (removed.IsEmpty)
            {
                return ManagementReply.Invalid(userId is not null ? "user_id" : "user_email", "User not found in team.");
            }
            var result = await Registry.RemoveTeamMembers(teamId, removed, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ManagementLog.MembersChanged(logger, teamId, removed.Length, "removed", call.Actor.ChangedBy);
            var updated = await Registry.GetTeam(teamId) ?? team with { Members = [.. team.Members.Where(m => !removed.Contains(m.UserId))] };
            return ManagementReply.Json(w => ManagementJson.Team(w, updated));
        }
    }
}
