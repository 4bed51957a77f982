using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>The fields of LiteLLM's <c>NewUserRequest</c> / <c>UpdateUserRequest</c> that describe the user itself.</summary>
internal static class UserFields
{
    /// <summary>The roles <c>/user/new</c> and <c>/user/update</c> accept (LiteLLM's <c>user_role</c> literal).</summary>
    public static readonly string[] Roles = ["proxy_admin", "proxy_admin_viewer", "internal_user", "internal_user_viewer"];

    /// <summary>Applies the request's user fields to <paramref name="user"/>.</summary>
    public static UserDefinition Apply(RequestFields f, UserDefinition user, DateTimeOffset now)
    {
        if (f.Given("user_alias"))
        {
            user = user with { UserAlias = f.Id("user_alias") };
        }
        if (f.Given("user_email"))
        {
            user = user with { UserEmail = f.Id("user_email") };
        }
        if (f.Given("user_role"))
        {
            var role = f.Id("user_role");
            if (role is not null && Array.IndexOf(Roles, role) < 0)
            {
                f.Fail("user_role", $"user_role must be one of {string.Join(", ", Roles)}, not \"{role}\".");
            }
            user = user with { UserRole = role };
        }
        if (f.Given("models"))
        {
            user = user with { Models = f.StringList("models") ?? [] };
        }
        if (f.Given("metadata"))
        {
            user = user with { Metadata = f.ObjectText("metadata") ?? "{}" };
        }
        var (limits, budgetDuration) = LimitFields.Apply(f, user.Limits, user.BudgetDuration);
        return user with { Limits = limits, BudgetDuration = budgetDuration, UpdatedAt = now };
    }
}
