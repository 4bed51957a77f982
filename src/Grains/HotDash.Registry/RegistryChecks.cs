using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Registry;

/// <summary>
/// What a definition must be before it is written, checked without the database: the caller validates the request
/// fields, but a value the tables cannot hold must come back as a refusal, not as a PostgreSQL error.
/// </summary>
internal static class RegistryChecks
{
    public const string AdminRole = "admin";
    public const string UserRole = "user";

    public static bool IsTokenHash(string? token) =>
        token is { Length: 64 } && token.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    public static RegistryResult? Key(KeyDefinition key, string param = "key") =>
        !IsTokenHash(key.Token) ? RegistryResult.Invalid(param, "the key's hash must be a lower-case SHA-256 hex digest (the key itself is never stored)")
        : Common(key.Metadata, key.BudgetDuration);

    public static RegistryResult? Team(TeamDefinition team) =>
        string.IsNullOrEmpty(team.TeamId) ? RegistryResult.Invalid("team_id", "team_id must not be empty")
        : Common(team.Metadata, team.BudgetDuration) ?? Members(team.Members.IsDefault ? [] : team.Members, "members_with_roles");

    public static RegistryResult? User(UserDefinition user) =>
        string.IsNullOrEmpty(user.UserId) ? RegistryResult.Invalid("user_id", "user_id must not be empty")
        : Common(user.Metadata, user.BudgetDuration);

    public static RegistryResult? Project(ProjectDefinition project) =>
        string.IsNullOrEmpty(project.Id) ? RegistryResult.Invalid("project_id", "project_id must not be empty")
        : string.IsNullOrWhiteSpace(project.Name) ? RegistryResult.Invalid("name", "name must not be empty")
        : null;

    public static RegistryResult? ProjectKey(ProjectKeyDefinition key) =>
        !ProjectApiKeys.IsPublicKey(key.PublicKey) ? RegistryResult.Invalid("public_key", $"public_key must be a {ProjectApiKeys.PublicKeyPrefix}... key")
        : !IsTokenHash(key.SecretHash) ? RegistryResult.Invalid("secret_key", "the secret key's hash must be a lower-case SHA-256 hex digest (the secret itself is never stored)")
        : string.IsNullOrEmpty(key.DisplaySecretKey) ? RegistryResult.Invalid("display_secret_key", "display_secret_key must not be empty")
        : string.IsNullOrEmpty(key.ProjectId) ? RegistryResult.Invalid("project_id", "project_id must not be empty")
        : null;

    public static RegistryResult? Members(ImmutableArray<TeamMember> members, string param)
    {
        foreach (var member in members)
        {
            if (member is null || string.IsNullOrEmpty(member.UserId))
            {
                return RegistryResult.Invalid(param, "every member needs a user_id");
            }
            if (member.Role is not (AdminRole or UserRole))
            {
                return RegistryResult.Invalid("role", $"role '{member.Role}' of user_id '{member.UserId}' must be 'admin' or 'user'");
            }
        }
        return null;
    }

    /// <summary>The members once each (a user listed twice keeps its last entry), in user-id order.</summary>
    public static TeamMember[] Distinct(ImmutableArray<TeamMember> members)
    {
        var byUser = new Dictionary<string, TeamMember>(StringComparer.Ordinal);
        foreach (var member in members.IsDefault ? [] : members)
        {
            byUser[member.UserId] = member;
        }
        var distinct = byUser.Values.ToArray();
        Array.Sort(distinct, (a, b) => string.CompareOrdinal(a.UserId, b.UserId));
        return distinct;
    }

    private static RegistryResult? Common(string? metadata, string? budgetDuration)
    {
        if (metadata is not null && !string.IsNullOrWhiteSpace(metadata) && !RegistryJson.IsObject(metadata))
        {
            return RegistryResult.Invalid("metadata", "metadata must be a JSON object");
        }
        if (budgetDuration is not null && !LiteLlmDuration.TryParse(budgetDuration, out _))
        {
            return RegistryResult.Invalid("budget_duration", $"budget_duration '{budgetDuration}' is not a duration such as 30s, 30m, 30h or 30d");
        }
        return null;
    }
}
