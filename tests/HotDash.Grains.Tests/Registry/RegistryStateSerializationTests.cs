using HotDash.Grains.Registry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

/// <summary>
/// The embedded registry's state survives storage: through the grain storage serializer Redis storage uses (the silo's
/// default, JSON), and through a deactivation.
/// </summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class RegistryStateSerializationTests(RegistryClusterFixture fixture)
{
    [Fact]
    public void RegistrySnapshot_DefaultStorageSerializer_RoundTripsEveryObject()
    {
        var services = fixture.Cluster.Silos[0].ServiceProvider;
        var storage = services.GetRequiredService<IGrainStorageSerializer>();
        var orleans = services.GetRequiredService<Serializer>();
        var now = fixture.Time.GetUtcNow();
        var team = Team() with
        {
            TeamAlias = "alias",
            Models = ["gpt-4o"],
            Limits = QuotaLimits.None with
            {
                RpmLimit = 5,
                BudgetDuration = TimeSpan.FromDays(30),
                ModelRpmLimit = ImmutableDictionary<string, long>.Empty.Add("gpt-4o", 3),
                ModelMaxBudget = ImmutableDictionary<string, ModelBudget>.Empty.Add("gpt-4o", new ModelBudget(1m, TimeSpan.FromDays(1))),
            },
            ModelSpend = ImmutableDictionary<string, decimal>.Empty.Add("gpt-4o", 0.125m),
            CreatedAt = now,
        };
        var key = Key(team.TeamId) with
        {
            Aliases = ImmutableDictionary<string, string>.Empty.Add("fast", "gpt-4o"),
            Expires = now.AddDays(1),
            Models = ["gpt-4o", "openai/*"],
        };
        var state = new RegistryState();
        state.Teams[team.TeamId] = team;
        state.Keys[key.Token] = key;
        state.Users["u"] = new UserDefinition("u") { UserEmail = "u@example.com" };
        state.Memberships.Add(new RegistryMembership(team.TeamId, "u", "admin", 0.5m, now));
        state.SpendLog.Add(SpendOf(key, 0.25m, now));
        state.SeenRequestIds.Add(state.SpendLog[0].RequestId);

        var stored = storage.Deserialize<RegistrySnapshot>(storage.Serialize(new RegistrySnapshot { Data = orleans.SerializeToArray(state) }))!;
        var copy = orleans.Deserialize<RegistryState>(stored.Data)!;

        var copiedTeam = copy.Teams[team.TeamId];
        Assert.Equal(team.Limits.RpmLimit, copiedTeam.Limits.RpmLimit);
        Assert.Equal(team.Limits.BudgetDuration, copiedTeam.Limits.BudgetDuration);
        Assert.Equal(3, copiedTeam.Limits.ModelRpmLimit["gpt-4o"]);
        Assert.Equal(team.Limits.ModelMaxBudget["gpt-4o"], copiedTeam.Limits.ModelMaxBudget["gpt-4o"]);
        Assert.Equal<string>(team.Models, copiedTeam.Models);
        Assert.Equal(0.125m, copiedTeam.ModelSpend["gpt-4o"]);
        Assert.Equal(team.TeamAlias, copiedTeam.TeamAlias);
        Assert.Equal(team.CreatedAt, copiedTeam.CreatedAt);
        Assert.Equal<string>(key.Models, copy.Keys[key.Token].Models);
        Assert.Equal("gpt-4o", copy.Keys[key.Token].Aliases["fast"]);
        Assert.Equal(key.Expires, copy.Keys[key.Token].Expires);
        Assert.Equal(state.Memberships, copy.Memberships);
        Assert.Equal(state.SpendLog, copy.SpendLog);
        Assert.Equal(state.SeenRequestIds, copy.SeenRequestIds);
        Assert.Equal("u@example.com", copy.Users["u"].UserEmail);
    }

    [Fact]
    public async Task RegistryStateGrain_AfterDeactivation_HasEveryWriteAndStillCountsSpendOnce()
    {
        var registry = fixture.Grains.Registry();
        var user = await registry.CreatedUser();
        var team = await registry.CreatedTeam(Team(Member(user.UserId)) with { Limits = QuotaLimits.None with { RpmLimit = 9 } });
        var key = await registry.CreatedKey(Key(team.TeamId, user.UserId) with { Aliases = ImmutableDictionary<string, string>.Empty.Add("fast", "gpt-4o") });
        var row = SpendOf(key, 0.5m, fixture.Time.GetUtcNow());
        Assert.Equal(1, await fixture.Grains.Ledger().Write([row]));

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var storedKey = await registry.GetKey(key.Token);
        Assert.Equal("gpt-4o", storedKey!.Aliases["fast"]);
        Assert.Equal(0.5m, storedKey.Spend);
        Assert.Equal(9, (await registry.GetTeam(team.TeamId))!.Limits.RpmLimit);
        Assert.Equal<string>([team.TeamId], (await registry.GetUser(user.UserId))!.Teams);
        Assert.Equal(0, await fixture.Grains.Ledger().Write([row]));
    }
}
