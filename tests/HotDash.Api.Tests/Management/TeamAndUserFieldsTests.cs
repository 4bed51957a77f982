using HotDash.Api.Management;
using HotDash.Grains;

namespace HotDash.Api.Tests.Management;

public sealed class TeamAndUserFieldsTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Members_RolesAndDeprecatedLists_BecomeOneEntryPerUser()
    {
        var f = Json.Fields("""
            {"members_with_roles": [{"role": "admin", "user_id": "ann"}, {"role": "user", "user_email": "bob@example.com"}],
             "admins": ["cid"], "members": ["dan", "ann"]}
            """);

        var members = TeamFields.Members(f);

        Assert.Null(f.Error);
        Assert.Equal(
            [new TeamMember("ann", null, "user"), new TeamMember("bob@example.com", "bob@example.com", "user"), new TeamMember("cid", null, "admin"), new TeamMember("dan", null, "user")],
            members.ToArray());
    }

    [Theory]
    [InlineData("""{"members_with_roles": [{"role": "owner", "user_id": "a"}]}""")]
    [InlineData("""{"members_with_roles": [{"user_id": "a"}]}""")]
    [InlineData("""{"members_with_roles": [{"role": "user"}]}""")]
    [InlineData("""{"members_with_roles": ["a"]}""")]
    [InlineData("""{"members_with_roles": {"role": "user", "user_id": "a"}}""")]
    public void Members_BadMember_FailsNamingMembersWithRoles(string json)
    {
        var f = Json.Fields(json);

        TeamFields.Members(f);

        Assert.Equal("members_with_roles", f.Error?.Param);
    }

    [Fact]
    public void Apply_Team_SetsAliasModelsLimitsAndBlocked()
    {
        var f = Json.Fields("""{"team_alias": "ml", "models": ["gpt-4o"], "rpm_limit": 50, "max_budget": 20, "budget_duration": "30d", "blocked": true}""");

        var team = TeamFields.Apply(f, new TeamDefinition("t1"), Now);

        Assert.Null(f.Error);
        Assert.Equal("ml", team.TeamAlias);
        Assert.Equal(["gpt-4o"], team.Models.ToArray());
        Assert.Equal(50, team.Limits.RpmLimit);
        Assert.Equal(20m, team.Limits.MaxBudget);
        Assert.Equal("30d", team.BudgetDuration);
        Assert.True(team.Blocked);
        Assert.Equal(Now, team.UpdatedAt);
    }

    [Fact]
    public void Apply_TeamWithDefaults_TakesTheDefaultsForFieldsLeftOut()
    {
        var f = Json.Fields("""{"rpm_limit": 5}""", """{"rpm_limit": 100, "tpm_limit": 1000, "max_budget": 50, "budget_duration": "30d", "models": ["gpt-4o-mini"]}""");

        var team = TeamFields.Apply(f, new TeamDefinition("t1"), Now);

        Assert.Equal(5, team.Limits.RpmLimit);
        Assert.Equal(1000, team.Limits.TpmLimit);
        Assert.Equal(50m, team.Limits.MaxBudget);
        Assert.Equal("30d", team.BudgetDuration);
        Assert.Equal(["gpt-4o-mini"], team.Models.ToArray());
    }

    [Fact]
    public void Apply_User_SetsItsFields()
    {
        var f = Json.Fields("""{"user_alias": "Ann", "user_email": "ann@example.com", "user_role": "internal_user", "max_budget": 3, "models": ["a"]}""");

        var user = UserFields.Apply(f, new UserDefinition("ann"), Now);

        Assert.Null(f.Error);
        Assert.Equal(("Ann", "ann@example.com", "internal_user"), (user.UserAlias, user.UserEmail, user.UserRole));
        Assert.Equal(3m, user.Limits.MaxBudget);
        Assert.Equal(["a"], user.Models.ToArray());
    }

    [Fact]
    public void Apply_UserWithUnknownRole_FailsNamingUserRole()
    {
        var f = Json.Fields("""{"user_role": "god"}""");

        UserFields.Apply(f, new UserDefinition("ann"), Now);

        Assert.Equal("user_role", f.Error?.Param);
    }
}
