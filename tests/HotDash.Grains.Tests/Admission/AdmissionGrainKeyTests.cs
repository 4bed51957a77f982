using HotDash.Grains.Tests.Registry;
using static HotDash.Grains.Tests.Admission.AdmissionKeyTestData;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Admission;

[Collection(RegistryClusterCollection.Name)]
public sealed class AdmissionGrainKeyTests(RegistryClusterFixture fixture)
{
    // Both through one silo, as a gateway's calls: admission sees a change made there at once (elsewhere within
    // DefinitionCache.Lifetime, see RegistryRefreshTests).
    private IRegistryGrain Registry => fixture.SiloGrains(0).Registry();

    private IAdmissionGrain Admission => fixture.SiloGrains(0).Admission();

    [Fact]
    public async Task AdmitKey_UnknownKey_IsRefusedWithoutNamingTheHash()
    {
        var key = Key();

        var decision = await Admission.AdmitKey(Request(key));

        Assert.Equal(KeyAdmissionStatus.UnknownKey, decision.Status);
        Assert.StartsWith("Authentication Error, Invalid proxy server token passed.", decision.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Token, decision.Message, StringComparison.Ordinal);
        Assert.Null(decision.Quota);
        Assert.Empty(decision.SubjectKeys);
    }

    [Fact]
    public async Task AdmitKey_KeyWithTeamAndUser_AdmitsOnKeyAndTeamWithTheirIds()
    {
        var user = await Registry.CreatedUser();
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var key = await Registry.CreatedKey(Key(team.TeamId, user.UserId) with { KeyAlias = TestData.UniqueId("alias") });

        var decision = await Admission.AdmitKey(Request(key));

        Assert.Equal(KeyAdmissionStatus.Admitted, decision.Status);
        Assert.Null(decision.Message);
        Assert.True(decision.Quota!.Admitted);
        Assert.Equal<string>([QuotaSubjects.Key(key.Token), QuotaSubjects.Team(team.TeamId)], decision.SubjectKeys);
        Assert.Equal(team.TeamId, decision.TeamId);
        Assert.Equal(user.UserId, decision.UserId);
        Assert.Equal(key.KeyAlias, decision.KeyAlias);
        Assert.Equal(Model, decision.Model);
    }

    [Fact]
    public async Task AdmitKey_BlockedKey_IsRefusedNamingTheKeysShortForm()
    {
        var key = await Registry.CreatedKey(Key() with { Blocked = true });

        var decision = await Admission.AdmitKey(Request(key));

        Assert.Equal(KeyAdmissionStatus.Blocked, decision.Status);
        Assert.Contains(key.KeyName!, decision.Message, StringComparison.Ordinal);
        Assert.Empty(decision.SubjectKeys);
    }

    [Fact]
    public async Task AdmitKey_KeyPastItsExpiry_IsRefusedAsExpiredWithBothTimes()
    {
        var expires = fixture.Time.GetUtcNow().AddHours(1);
        var key = await Registry.CreatedKey(Key() with { Expires = expires });
        Assert.Equal(KeyAdmissionStatus.Admitted, (await Admission.AdmitKey(Request(key))).Status);

        fixture.Time.Advance(TimeSpan.FromHours(2));
        var decision = await Admission.AdmitKey(Request(key));

        Assert.Equal(KeyAdmissionStatus.Expired, decision.Status);
        Assert.StartsWith("Authentication Error - Expired Key. Key Expiry time ", decision.Message, StringComparison.Ordinal);
        Assert.Contains(expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), decision.Message, StringComparison.Ordinal);
        Assert.Contains("and current time", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdmitKey_KeyOfABlockedTeam_IsRefusedAsTeamBlocked()
    {
        var team = await Registry.CreatedTeam(Team() with { Blocked = true });
        var key = await Registry.CreatedKey(Key(team.TeamId));

        var decision = await Admission.AdmitKey(Request(key));

        Assert.Equal(KeyAdmissionStatus.TeamBlocked, decision.Status);
        Assert.Contains(team.TeamId, decision.Message, StringComparison.Ordinal);
        Assert.Equal(team.TeamId, decision.TeamId);
    }

    [Fact]
    public async Task AdmitKey_ModelOutsideTheKeysModels_IsDeniedNamingTheModelAndTheList()
    {
        var key = await Registry.CreatedKey(Key() with { Models = ["gpt-4o-mini", "claude-3-5-sonnet"] });

        var decision = await Admission.AdmitKey(Request(key, "gpt-4o"));

        Assert.Equal(KeyAdmissionStatus.ModelDenied, decision.Status);
        Assert.Equal("key not allowed to access model. This key can only access models=['gpt-4o-mini', 'claude-3-5-sonnet']. Tried to access gpt-4o", decision.Message);
    }

    [Fact]
    public async Task AdmitKey_AliasedModel_RoutesAndChecksTheTargetName()
    {
        var key = await Registry.CreatedKey(Key() with
        {
            Models = ["gpt-4o"],
            Aliases = ImmutableDictionary<string, string>.Empty.Add("fast", "gpt-4o").Add("cheap", "gpt-4o-mini"),
        });

        var aliased = await Admission.AdmitKey(Request(key, "fast"));
        var outside = await Admission.AdmitKey(Request(key, "cheap"));

        Assert.Equal(KeyAdmissionStatus.Admitted, aliased.Status);
        Assert.Equal("gpt-4o", aliased.Model);
        Assert.Equal(KeyAdmissionStatus.ModelDenied, outside.Status);
        Assert.Equal("gpt-4o-mini", outside.Model);
    }

    [Theory]
    [InlineData("openai/*", "openai/gpt-4o", true)]
    [InlineData("openai/*", "anthropic/claude-3-5-sonnet", false)]
    [InlineData("gpt-4o*", "gpt-4o-mini", true)]
    [InlineData("*", "anything", true)]
    [InlineData("all-proxy-models", "anything", true)]
    public async Task AdmitKey_WildcardEntries_AllowTheModelsTheyMatch(string entry, string model, bool allowed)
    {
        var key = await Registry.CreatedKey(Key() with { Models = [entry] });

        var decision = await Admission.AdmitKey(Request(key, model));

        Assert.Equal(allowed ? KeyAdmissionStatus.Admitted : KeyAdmissionStatus.ModelDenied, decision.Status);
    }

    [Fact]
    public async Task AdmitKey_AccessGroupInTheKeysModels_AllowsOnlyModelsInThatGroup()
    {
        var key = await Registry.CreatedKey(Key() with { Models = ["beta-models"] });

        var inGroup = await Admission.AdmitKey(Request(key, "gpt-4o", ["beta-models"]));
        var notInGroup = await Admission.AdmitKey(Request(key, "gpt-4o", ["prod-models"]));

        Assert.Equal(KeyAdmissionStatus.Admitted, inGroup.Status);
        Assert.Equal(KeyAdmissionStatus.ModelDenied, notInGroup.Status);
    }

    [Fact]
    public async Task AdmitKey_KeyWithAllTeamModels_LeavesTheDecisionToTheTeamsList()
    {
        var team = await Registry.CreatedTeam(Team() with { Models = ["gpt-4o"] });
        var key = await Registry.CreatedKey(Key(team.TeamId) with { Models = ["all-team-models"] });

        var teamModel = await Admission.AdmitKey(Request(key, "gpt-4o"));
        var other = await Admission.AdmitKey(Request(key, "gpt-4o-mini"));

        Assert.Equal(KeyAdmissionStatus.Admitted, teamModel.Status);
        Assert.Equal(KeyAdmissionStatus.ModelDenied, other.Status);
        Assert.Equal("team not allowed to access model. This team can only access models=['gpt-4o']. Tried to access gpt-4o-mini", other.Message);
    }

    [Fact]
    public async Task AdmitKey_KeyWithoutModelsInARestrictedTeam_IsHeldToTheTeamsList()
    {
        var team = await Registry.CreatedTeam(Team() with { Models = ["gpt-4o-mini"] });
        var key = await Registry.CreatedKey(Key(team.TeamId));

        var decision = await Admission.AdmitKey(Request(key, "gpt-4o"));

        Assert.Equal(KeyAdmissionStatus.ModelDenied, decision.Status);
    }

    [Fact]
    public async Task AdmitKey_UsersModels_ApplyOnlyToKeysOutsideATeam()
    {
        var user = await Registry.CreatedUser(User() with { Models = ["gpt-4o-mini"] });
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var personal = await Registry.CreatedKey(Key(userId: user.UserId));
        var teamKey = await Registry.CreatedKey(Key(team.TeamId, user.UserId));

        var personalDecision = await Admission.AdmitKey(Request(personal, "gpt-4o"));
        var teamDecision = await Admission.AdmitKey(Request(teamKey, "gpt-4o"));

        Assert.Equal(KeyAdmissionStatus.ModelDenied, personalDecision.Status);
        Assert.StartsWith("user not allowed to access model.", personalDecision.Message, StringComparison.Ordinal);
        Assert.Equal(KeyAdmissionStatus.Admitted, teamDecision.Status);
    }

    [Fact]
    public async Task AdmitKey_TeamRpmReachedWhileTheKeysHaveNoLimits_IsRateLimitedByTheTeam()
    {
        var team = await Registry.CreatedTeam(Team() with { Limits = QuotaLimits.None with { RpmLimit = 1 } });
        var first = await Registry.CreatedKey(Key(team.TeamId));
        var second = await Registry.CreatedKey(Key(team.TeamId));
        Assert.Equal(KeyAdmissionStatus.Admitted, (await Admission.AdmitKey(Request(first))).Status);

        var decision = await Admission.AdmitKey(Request(second));

        Assert.Equal(KeyAdmissionStatus.RateLimited, decision.Status);
        Assert.NotNull(decision.Quota);
        Assert.False(decision.Quota.Admitted);
        Assert.Equal(QuotaSubjects.Team(team.TeamId), decision.Quota.RefusingSubject);
        Assert.Equal(QuotaRateLimitType.Requests, decision.Quota.RateLimitType);
        Assert.Equal(decision.Quota.Message, decision.Message);
        Assert.Empty(decision.SubjectKeys);
    }

    [Fact]
    public async Task AdmitKey_UsersLimits_HoldOnlyKeysOutsideATeam()
    {
        var user = await Registry.CreatedUser(User() with { Limits = QuotaLimits.None with { RpmLimit = 1 } });
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var personal = await Registry.CreatedKey(Key(userId: user.UserId));
        var teamKey = await Registry.CreatedKey(Key(team.TeamId, user.UserId));

        var admitted = await Admission.AdmitKey(Request(personal));
        var refused = await Admission.AdmitKey(Request(personal));
        var teamDecision = await Admission.AdmitKey(Request(teamKey));

        Assert.Equal(KeyAdmissionStatus.Admitted, admitted.Status);
        Assert.Equal<string>([QuotaSubjects.Key(personal.Token), QuotaSubjects.User(user.UserId)], admitted.SubjectKeys);
        Assert.Equal(KeyAdmissionStatus.RateLimited, refused.Status);
        Assert.Equal(QuotaSubjects.User(user.UserId), refused.Quota!.RefusingSubject);
        Assert.Equal(KeyAdmissionStatus.Admitted, teamDecision.Status);
        Assert.DoesNotContain(QuotaSubjects.User(user.UserId), teamDecision.SubjectKeys);
    }

    [Fact]
    public async Task AdmitKey_KeyLimitsRaisedByAnUpdate_ApplyFromTheNextRequest()
    {
        var key = await Registry.CreatedKey(Key() with { Limits = QuotaLimits.None with { RpmLimit = 1 } });
        Assert.Equal(KeyAdmissionStatus.Admitted, (await Admission.AdmitKey(Request(key))).Status);
        Assert.Equal(KeyAdmissionStatus.RateLimited, (await Admission.AdmitKey(Request(key))).Status);

        await Registry.UpdateKey(key with { Limits = QuotaLimits.None with { RpmLimit = 5 } }, Admin);
        var decision = await Admission.AdmitKey(Request(key));

        Assert.Equal(KeyAdmissionStatus.Admitted, decision.Status);
        Assert.Equal(5, decision.Quota!.LimitRequests);
    }
}
