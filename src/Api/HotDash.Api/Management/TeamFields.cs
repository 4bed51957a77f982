using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>The fields of LiteLLM's <c>NewTeamRequest</c> / <c>UpdateTeamRequest</c> and its <c>Member</c> objects.</summary>
internal static class TeamFields
{
    /// <summary>Fields of <c>default_team_params</c> that name one team, so never apply to every new team.</summary>
    public static bool IsDefaultable(string name) => name is not ("team_id" or "team_alias" or "members_with_roles" or "admins" or "members");

    /// <summary>Applies the request's team fields (not its members) to <paramref name="team"/>.</summary>
    public static TeamDefinition Apply(RequestFields f, TeamDefinition team, DateTimeOffset now)
    {
        if (f.Given("team_alias"))
        {
            team = team with { TeamAlias = f.Id("team_alias") };
        }
        if (f.Given("models"))
        {
            team = team with { Models = f.StringList("models") ?? [] };
        }
        if (f.Given("metadata"))
        {
            team = team with { Metadata = f.ObjectText("metadata") ?? "{}" };
        }
        if (f.Given("blocked"))
        {
            team = team with { Blocked = f.Bool("blocked") ?? false };
        }
        var (limits, budgetDuration) = LimitFields.Apply(f, team.Limits, team.BudgetDuration);
        return team with { Limits = limits, BudgetDuration = budgetDuration, UpdatedAt = now };
    }

    /// <summary>
    /// A new team's members: <c>members_with_roles</c>, plus the deprecated <c>admins</c> and <c>members</c> lists of user
    /// ids; one entry per user, the last one winning.
    /// </summary>
    public static ImmutableArray<TeamMember> Members(RequestFields f)
    {
        var members = new List<TeamMember>();
        if (f.Array("members_with_roles", out var list))
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (Member(f, item, "members_with_roles", $"members_with_roles[{i}]") is { } m)
                {
                    members.Add(m);
                }
                i++;
            }
        }
        foreach (var (field, role) in (ReadOnlySpan<(string, string)>)[("admins", "admin"), ("members", "user")])
        {
            foreach (var id in f.StringList(field) ?? [])
            {
                if (!string.IsNullOrWhiteSpace(id))
                {
                    members.Add(new TeamMember(id.Trim(), null, role));
                }
            }
        }
        return Distinct(members);
    }

    /// <summary>
    /// One LiteLLM <c>Member</c>: <c>role</c> (<c>admin</c> or <c>user</c>) and <c>user_id</c> or <c>user_email</c>. A member
    /// given only by email gets the email as its user id, so adding the same email twice names one user.
    /// </summary>
    public static TeamMember? Member(RequestFields f, JsonElement item, string param, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            f.Fail(param, $"{path} must be an object such as {{\"role\": \"user\", \"user_id\": \"...\"}}, not {RequestFields.Describe(item)}.");
            return null;
        }
        var member = new RequestFields(item);
        var role = member.String("role");
        var userId = member.Id("user_id");
        var email = member.Id("user_email");
        if (member.Error is { } e)
        {
            f.Fail(param, $"{path}.{e.Param}: {e.Message}");
            return null;
        }
        if (role is not ("admin" or "user"))
        {
            f.Fail(param, role is null
                ? $"{path}.role is required: \"admin\" or \"user\"."
                : $"{path}.role must be \"admin\" or \"user\", not \"{role}\".");
            return null;
        }
        if (userId is null && email is null)
        {
            f.Fail(param, $"{path}: either user_id or user_email must be provided.");
            return null;
        }
        return new TeamMember(userId ?? email!, email, role);
    }

    /// <summary>One entry per user id, the last one winning, in first-seen order.</summary>
    public static ImmutableArray<TeamMember> Distinct(IEnumerable<TeamMember> members)
    {
        var order = new List<string>();
        var byId = new Dictionary<string, TeamMember>(StringComparer.Ordinal);
        foreach (var m in members)
        {
            if (!byId.ContainsKey(m.UserId))
            {
                order.Add(m.UserId);
            }
            byId[m.UserId] = m;
        }
        return [.. order.Select(id => byId[id])];
    }
}
