using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

[Collection(RegistryClusterCollection.Name)]
public sealed class RegistryGrainKeyTests(RegistryClusterFixture fixture)
{
    private IRegistryGrain Registry => fixture.Grains.Registry();

    [Fact]
    public async Task CreateKey_ThenGetKey_ReturnsTheStoredDefinition()
    {
        var team = await Registry.CreatedTeam();
        var user = await Registry.CreatedUser();
        var key = Key(team.TeamId, user.UserId) with
        {
            KeyAlias = TestData.UniqueId("alias"),
            Models = ["gpt-4o"],
            Aliases = ImmutableDictionary<string, string>.Empty.Add("fast", "gpt-4o"),
            Limits = QuotaLimits.None with { RpmLimit = 10 },
            Metadata = """{"env":"test"}""",
        };

        var result = await Registry.CreateKey(key, Admin);
        var stored = await Registry.GetKey(key.Token);

        Assert.True(result.IsOk);
        Assert.NotNull(stored);
        Assert.Equal(key.KeyAlias, stored.KeyAlias);
        Assert.Equal(team.TeamId, stored.TeamId);
        Assert.Equal(user.UserId, stored.UserId);
        Assert.Equal<string>(["gpt-4o"], stored.Models);
        Assert.Equal("gpt-4o", stored.Aliases["fast"]);
        Assert.Equal(10, stored.Limits.RpmLimit);
        Assert.Equal("""{"env":"test"}""", stored.Metadata);
        Assert.Equal(fixture.Time.GetUtcNow(), stored.CreatedAt);
        Assert.Equal(stored.Token, (await Registry.GetKeyByAlias(key.KeyAlias))?.Token);
    }

    [Fact]
    public async Task CreateKey_UnknownTeam_IsRefusedNamingTeamIdAndStoresNothing()
    {
        var key = Key(teamId: TestData.UniqueId("no-such-team"));

        var result = await Registry.CreateKey(key, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("team_id", result.Param);
        Assert.Contains(key.TeamId!, result.Message, StringComparison.Ordinal);
        Assert.Null(await Registry.GetKey(key.Token));
    }

    [Fact]
    public async Task CreateKey_UnknownUser_IsRefusedNamingUserId()
    {
        var key = Key(userId: TestData.UniqueId("no-such-user"));

        var result = await Registry.CreateKey(key, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("user_id", result.Param);
        Assert.Null(await Registry.GetKey(key.Token));
    }

    [Fact]
    public async Task CreateKey_AliasAlreadyTaken_IsRefusedNamingKeyAlias()
    {
        var alias = TestData.UniqueId("alias");
        await Registry.CreatedKey(Key() with { KeyAlias = alias });
        var second = Key() with { KeyAlias = alias };

        var result = await Registry.CreateKey(second, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("key_alias", result.Param);
        Assert.Contains(alias, result.Message, StringComparison.Ordinal);
        Assert.Null(await Registry.GetKey(second.Token));
    }

    [Fact]
    public async Task CreateKey_SameHashTwice_IsRefusedNamingKey()
    {
        var key = await Registry.CreatedKey(Key());

        var result = await Registry.CreateKey(key with { KeyAlias = TestData.UniqueId("alias") }, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("key", result.Param);
        Assert.Null((await Registry.GetKey(key.Token))!.KeyAlias);
    }

    [Fact]
    public async Task CreateKey_TokenThatIsNotAHash_IsRefusedNamingKey()
    {
        var result = await Registry.CreateKey(new KeyDefinition("sk-1234"), Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("key", result.Param);
        Assert.Null(await Registry.GetKey("sk-1234"));
    }

    [Theory]
    [InlineData("[1, 2]", null, "metadata")]
    [InlineData("{}", "30x", "budget_duration")]
    public async Task CreateKey_MalformedStoredField_IsRefusedNamingIt(string metadata, string? budgetDuration, string param)
    {
        var key = Key() with { Metadata = metadata, BudgetDuration = budgetDuration };

        var result = await Registry.CreateKey(key, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal(param, result.Param);
        Assert.Null(await Registry.GetKey(key.Token));
    }

    [Fact]
    public async Task RegenerateKey_ToTheSameHash_IsRefusedNamingNewKey()
    {
        var key = await Registry.CreatedKey(Key());

        var result = await Registry.RegenerateKey(key.Token, key, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("new_key", result.Param);
    }

    [Fact]
    public async Task UpdateKey_MissingKey_IsNotFound()
    {
        var result = await Registry.UpdateKey(Key(), Admin);

        Assert.Equal(404, result.Status);
        Assert.Equal("key", result.Param);
    }

    [Fact]
    public async Task UpdateKey_ExistingKey_ReplacesTheDefinitionAndKeepsSpendAndCreation()
    {
        var key = await Registry.CreatedKey(Key());
        var created = (await Registry.GetKey(key.Token))!.CreatedAt;
        await fixture.Grains.Ledger().Write([SpendOf(key, 0.5m, fixture.Time.GetUtcNow())]);
        fixture.Time.Advance(TimeSpan.FromMinutes(1));

        var result = await Registry.UpdateKey(key with { KeyAlias = TestData.UniqueId("alias"), Blocked = true, Spend = 0m }, Admin);
        var stored = await Registry.GetKey(key.Token);

        Assert.True(result.IsOk);
        Assert.NotNull(stored);
        Assert.True(stored.Blocked);
        Assert.NotNull(stored.KeyAlias);
        Assert.Equal(0.5m, stored.Spend);
        Assert.Equal(created, stored.CreatedAt);
        Assert.Equal(fixture.Time.GetUtcNow(), stored.UpdatedAt);
    }

    [Fact]
    public async Task UpdateKey_AliasOfAnotherKey_IsRefusedButItsOwnAliasIsFine()
    {
        var alias = TestData.UniqueId("alias");
        await Registry.CreatedKey(Key() with { KeyAlias = alias });
        var mine = await Registry.CreatedKey(Key() with { KeyAlias = TestData.UniqueId("alias") });

        var taken = await Registry.UpdateKey(mine with { KeyAlias = alias }, Admin);
        var own = await Registry.UpdateKey(mine with { Blocked = true }, Admin);

        Assert.Equal(400, taken.Status);
        Assert.Equal("key_alias", taken.Param);
        Assert.True(own.IsOk);
        Assert.Equal(mine.KeyAlias, (await Registry.GetKey(mine.Token))!.KeyAlias);
    }

    [Fact]
    public async Task UpdateKey_UnknownTeam_IsRefusedAndTheKeyIsUnchanged()
    {
        var key = await Registry.CreatedKey(Key());

        var result = await Registry.UpdateKey(key with { TeamId = TestData.UniqueId("no-such-team") }, Admin);

        Assert.Equal("team_id", result.Param);
        Assert.Null((await Registry.GetKey(key.Token))!.TeamId);
    }

    [Fact]
    public async Task RegenerateKey_ExistingKey_MovesTheDefinitionAndSpendToTheNewHash()
    {
        var alias = TestData.UniqueId("alias");
        var old = await Registry.CreatedKey(Key() with { KeyAlias = alias, Models = ["gpt-4o"] });
        await fixture.Grains.Ledger().Write([SpendOf(old, 0.25m, fixture.Time.GetUtcNow())]);
        var renewed = Key() with { KeyAlias = alias, Models = ["gpt-4o"] };

        var result = await Registry.RegenerateKey(old.Token, renewed, Admin);
        var stored = await Registry.GetKey(renewed.Token);

        Assert.True(result.IsOk);
        Assert.Null(await Registry.GetKey(old.Token));
        Assert.NotNull(stored);
        Assert.Equal(alias, stored.KeyAlias);
        Assert.Equal(0.25m, stored.Spend);
        Assert.Equal(renewed.Token, (await Registry.GetKeyByAlias(alias))?.Token);
    }

    [Fact]
    public async Task RegenerateKey_MissingKey_IsNotFound()
    {
        var result = await Registry.RegenerateKey(Key().Token, Key(), Admin);

        Assert.Equal(404, result.Status);
        Assert.Equal("key", result.Param);
    }

    [Fact]
    public async Task RegenerateKey_ToAHashAnotherKeyHas_IsRefusedAndBothKeysStay()
    {
        var old = await Registry.CreatedKey(Key());
        var other = await Registry.CreatedKey(Key());

        var result = await Registry.RegenerateKey(old.Token, other, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("new_key", result.Param);
        Assert.NotNull(await Registry.GetKey(old.Token));
        Assert.NotNull(await Registry.GetKey(other.Token));
    }

    [Fact]
    public async Task DeleteKeys_SomeExist_DeletesAndListsOnlyThose()
    {
        var a = await Registry.CreatedKey(Key());
        var b = await Registry.CreatedKey(Key());
        var missing = Key();

        var deletion = await Registry.DeleteKeys([a.Token, missing.Token, b.Token], Admin);

        Assert.Equal(Sorted(a.Token, b.Token), Sorted([.. deletion.Deleted]));
        Assert.DoesNotContain(missing.Token, deletion.DeletedKeyTokens);
        Assert.Null(await Registry.GetKey(a.Token));
        Assert.Null(await Registry.GetKey(b.Token));
    }

    [Fact]
    public async Task ListKeys_ByTeam_PagesNewestFirstWithTheTotal()
    {
        var team = await Registry.CreatedTeam();
        var keys = new List<KeyDefinition>();
        for (var i = 0; i < 3; i++)
        {
            keys.Add(await Registry.CreatedKey(Key(team.TeamId)));
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
        }
        await Registry.CreatedKey(Key());

        var first = await Registry.ListKeys(new KeyListQuery(team.TeamId, null, null, Page: 1, PageSize: 2));
        var second = await Registry.ListKeys(new KeyListQuery(team.TeamId, null, null, Page: 2, PageSize: 2));

        Assert.Equal(3, first.TotalCount);
        Assert.Equal([keys[2].Token, keys[1].Token], first.Keys.Select(k => k.Token));
        Assert.Equal([keys[0].Token], second.Keys.Select(k => k.Token));
    }
}
