using System.Collections.Immutable;

namespace HotDash.Registry.Tests;

/// <summary>Virtual keys in the PostgreSQL registry: round trips, refusals that write nothing, regenerate, delete, list.</summary>
public sealed class PostgresRegistryStoreKeyTests(ITestOutputHelper output) : RegistryStoreTestBase(output)
{
    [Fact]
    public async Task CreateKeyAsync_FullDefinition_ReadsBackFieldForField()
    {
        var store = await SeededAsync();
        if (store is null)
        {
            return;
        }
        var key = FullKey();

        var result = await store.CreateKeyAsync(key, Admin);
        var read = await store.GetKeyAsync(key.Token);

        Assert.Equal(RegistryResult.Ok, result);
        RegistryAssert.SameKey(key, read);
        Assert.Equal(1.5m, read!.Spend);
        RegistryAssert.SameMap(key.ModelSpend, read.ModelSpend);
        Assert.Equal(Admin.ChangedBy, read.CreatedBy);
        Assert.Equal(Admin.ChangedBy, read.UpdatedBy);
        Assert.Equal(Clock.Now, read.CreatedAt);
        Assert.Equal(Clock.Now, read.UpdatedAt);
        // The columns hold LiteLLM's shapes, for its scripts and SQL habits.
        Assert.Equal("""{"gpt-4o": {"time_period": "1d", "budget_limit": 0.5}, "mistral": {"time_period": null, "budget_limit": 2}}""",
            await Db.ScalarAsync<string>("SELECT model_max_budget::text FROM hotdash.keys"));
        Assert.Equal("""{"gpt-4o": 10}""", await Db.ScalarAsync<string>("SELECT model_rpm_limit::text FROM hotdash.keys"));
        Assert.Equal("30d", await Db.ScalarAsync<string>("SELECT budget_duration FROM hotdash.keys"));
    }

    [Fact]
    public async Task CreateKeyAsync_MinimalDefinition_ReadsBackWithNoLimits()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var key = Key("bare");

        await store.CreateKeyAsync(key, Admin);
        var read = await store.GetKeyAsync(key.Token);

        RegistryAssert.SameKey(key, read);
        RegistryAssert.SameLimits(QuotaLimits.None, read!.Limits);
        Assert.Empty(read.Models);
        Assert.Equal(0m, read.Spend);
    }

    [Fact]
    public async Task GetKeyAsync_RowInLiteLlmShapes_ReadsTheLimitsFromThem()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        // As LiteLLM (or a hand-written script) leaves them: numbers as strings, a bare-number model budget, 1mo.
        var token = Hash("sk-imported");
        await ExecuteAsync($$$"""
            INSERT INTO keys (token, budget_duration, model_rpm_limit, model_tpm_limit, model_max_budget, aliases)
            VALUES ('{{{token}}}', '1mo', '{"gpt-4o": "7"}', '{"gpt-4o": 1000.0, "bad": "many"}',
                    '{"gpt-4o": {"budget_limit": "0.5", "time_period": "1d"}, "old": 3, "broken": {"time_period": "1d"}}', '{"a": "b"}')
            """);

        var read = await store.GetKeyAsync(token);

        Assert.Equal("1mo", read!.BudgetDuration);
        Assert.Equal(TimeSpan.FromDays(30), read.Limits.BudgetDuration);
        Assert.Equal(7, read.Limits.ModelRpmLimit["gpt-4o"]);
        RegistryAssert.SameMap(ImmutableDictionary<string, long>.Empty.Add("gpt-4o", 1000), read.Limits.ModelTpmLimit);
        RegistryAssert.SameMap(
            ImmutableDictionary<string, ModelBudget>.Empty.Add("gpt-4o", new ModelBudget(0.5m, TimeSpan.FromDays(1))).Add("old", new ModelBudget(3m, null)),
            read.Limits.ModelMaxBudget);
        Assert.Equal("b", read.Aliases["a"]);
    }

    [Fact]
    public async Task CreateKeyAsync_Written_AuditsTheRowByItsHashNeverTheKey()
    {
        var store = await SeededAsync();
        if (store is null)
        {
            return;
        }
        var key = FullKey();

        await store.CreateKeyAsync(key, Admin);

        Assert.Equal($"created keys {key.Token}", (await AuditAsync())[^1]);
        Assert.Equal($"{Admin.ChangedBy}|{Admin.ChangedByApiKey}|true|{key.Token}|true", await Db.ScalarAsync<string>("""
            SELECT changed_by || '|' || changed_by_api_key || '|' || (before_value IS NULL) || '|' || (updated_values ->> 'token') || '|' || (updated_at = timestamptz '2025-03-01 12:00:00+00')
            FROM hotdash.audit_log WHERE table_name = 'keys'
            """));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log WHERE updated_values::text LIKE '%sk-full%'"));
    }

    [Theory]
    [InlineData("unknown-team", 400, "team_id")]
    [InlineData("unknown-user", 400, "user_id")]
    [InlineData("alias-taken", 400, "key_alias")]
    [InlineData("token-taken", 400, "key")]
    [InlineData("raw-key", 400, "key")]
    [InlineData("metadata-not-an-object", 400, "metadata")]
    [InlineData("malformed-budget-duration", 400, "budget_duration")]
    [InlineData("negative-limit", 400, "rpm_limit")]
    public async Task CreateKeyAsync_Refused_ReturnsTheFieldAndWritesNothing(string problem, int status, string param)
    {
        var store = await SeededAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateKeyAsync(Key("taken", alias: "taken-alias"), Admin);
        var before = await StateAsync();
        var key = problem switch
        {
            "unknown-team" => Key("new", team: "no-such-team"),
            "unknown-user" => Key("new", user: "no-such-user"),
            "alias-taken" => Key("new", alias: "taken-alias"),
            "token-taken" => Key("taken"),
            "raw-key" => Key("new") with { Token = "sk-new" },
            "metadata-not-an-object" => Key("new") with { Metadata = "[1]" },
            "malformed-budget-duration" => Key("new") with { BudgetDuration = "30x" },
            _ => Key("new") with { Limits = QuotaLimits.None with { RpmLimit = -1 } },
        };

        var result = await store.CreateKeyAsync(key, Admin);

        Assert.Equal((status, param), (result.Status, result.Param));
        Assert.False(string.IsNullOrEmpty(result.Message));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task CreateKeyAsync_UnknownTeam_SaysWhichTeam()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        var result = await store.CreateKeyAsync(Key("new", team: "ghost"), Admin);

        Assert.Equal(RegistryResult.Invalid("team_id", "team_id 'ghost' does not exist"), result);
    }

    [Fact]
    public async Task GetKeyByAliasAsync_KnownAndUnknownAlias_FindsOnlyTheKnownKey()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var key = Key("aliased", alias: "prod-key");
        await store.CreateKeyAsync(key, Admin);

        var found = await store.GetKeyByAliasAsync("prod-key");
        var missing = await store.GetKeyByAliasAsync("no-such-alias");
        var unknownToken = await store.GetKeyAsync(Hash("sk-never-made"));

        Assert.Equal(key.Token, found?.Token);
        Assert.Null(missing);
        Assert.Null(unknownToken);
    }

    [Fact]
    public async Task UpdateKeyAsync_NewDefinition_ReplacesItAndKeepsSpendAndCreation()
    {
        var store = await SeededAsync();
        if (store is null)
        {
            return;
        }
        var key = Key("updated", team: "team-a", user: "user-1", alias: "before");
        await store.CreateKeyAsync(key, Admin);
        await store.WriteSpendAsync([Spend("req-1", key.Token, 0.75m, "gpt-4o")]);
        var created = Clock.Now;
        Clock.Advance(TimeSpan.FromMinutes(5));
        var changed = key with
        {
            KeyAlias = "after",
            TeamId = null,
            Models = ["gpt-4o-mini"],
            Limits = QuotaLimits.None with { TpmLimit = 500, MaxBudget = 3m },
            Metadata = """{"env":"prod"}""",
            Expires = Start.AddDays(1),
            Spend = 0m,
            ModelSpend = ImmutableDictionary<string, decimal>.Empty,
        };

        var result = await store.UpdateKeyAsync(changed, new AuditActor("other-admin", Admin.ChangedByApiKey));
        var read = await store.GetKeyAsync(key.Token);

        Assert.Equal(RegistryResult.Ok, result);
        RegistryAssert.SameKey(changed, read);
        Assert.Equal(0.75m, read!.Spend);
        Assert.Equal(0.75m, read.ModelSpend["gpt-4o"]);
        Assert.Equal(created, read.CreatedAt);
        Assert.Equal(Clock.Now, read.UpdatedAt);
        Assert.Equal(Admin.ChangedBy, read.CreatedBy);
        Assert.Equal("other-admin", read.UpdatedBy);
        Assert.Equal("updated|before|after|other-admin", await Db.ScalarAsync<string>("""
            SELECT action || '|' || (before_value ->> 'key_alias') || '|' || (updated_values ->> 'key_alias') || '|' || changed_by
            FROM hotdash.audit_log ORDER BY id DESC LIMIT 1
            """));
    }

    [Theory]
    [InlineData("missing-key", 404, "key")]
    [InlineData("unknown-team", 400, "team_id")]
    [InlineData("unknown-user", 400, "user_id")]
    [InlineData("alias-of-another-key", 400, "key_alias")]
    public async Task UpdateKeyAsync_Refused_ReturnsTheFieldAndWritesNothing(string problem, int status, string param)
    {
        var store = await SeededAsync();
        if (store is null)
        {
            return;
        }
        var key = Key("mine", alias: "mine");
        await store.CreateKeyAsync(key, Admin);
        await store.CreateKeyAsync(Key("theirs", alias: "theirs"), Admin);
        var before = await StateAsync();
        var changed = problem switch
        {
            "missing-key" => Key("never-created"),
            "unknown-team" => key with { TeamId = "no-such-team" },
            "unknown-user" => key with { UserId = "no-such-user" },
            _ => key with { KeyAlias = "theirs" },
        };

        var result = await store.UpdateKeyAsync(changed, Admin);

        Assert.Equal((status, param), (result.Status, result.Param));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task UpdateKeyAsync_SameAliasAsBefore_IsNoConflict()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var key = Key("mine", alias: "mine");
        await store.CreateKeyAsync(key, Admin);

        var result = await store.UpdateKeyAsync(key with { Models = ["gpt-4o"] }, Admin);

        Assert.Equal(RegistryResult.Ok, result);
    }

    [Fact]
    public async Task UpdateKeyAsync_BlockThenUnblock_IsAuditedAsBlockedThenUpdated()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var key = Key("blockable");
        await store.CreateKeyAsync(key, Admin);

        await store.UpdateKeyAsync(key with { Blocked = true }, Admin);
        var blocked = await store.GetKeyAsync(key.Token);
        await store.UpdateKeyAsync(key with { Blocked = false }, Admin);

        Assert.True(blocked!.Blocked);
        Assert.False((await store.GetKeyAsync(key.Token))!.Blocked);
        Assert.Equal([$"created keys {key.Token}", $"blocked keys {key.Token}", $"updated keys {key.Token}"], await AuditAsync());
    }

    [Fact]
    public async Task RegenerateKeyAsync_NewHash_MovesTheKeyWithItsSpendAndCreation()
    {
        var store = await SeededAsync();
        if (store is null)
        {
            return;
        }
        var old = Key("old-secret", team: "team-a", alias: "rotating") with { Limits = QuotaLimits.None with { RpmLimit = 10 } };
        await store.CreateKeyAsync(old, Admin);
        await store.WriteSpendAsync([Spend("req-1", old.Token, 2m, "gpt-4o"), Spend("req-2", old.Token, 0.5m, "claude")]);
        var created = Clock.Now;
        Clock.Advance(TimeSpan.FromHours(1));
        var renewed = old with { Token = Hash("sk-new-secret"), KeyName = "sk-...cret", Limits = QuotaLimits.None with { RpmLimit = 20 } };

        var result = await store.RegenerateKeyAsync(old.Token, renewed, Admin);
        var read = await store.GetKeyAsync(renewed.Token);

        Assert.Equal(RegistryResult.Ok, result);
        Assert.Null(await store.GetKeyAsync(old.Token));
        RegistryAssert.SameKey(renewed, read);
        Assert.Equal(2.5m, read!.Spend);
        Assert.Equal(0.5m, read.ModelSpend["claude"]);
        Assert.Equal(created, read.CreatedAt);
        Assert.Equal(Clock.Now, read.UpdatedAt);
        Assert.Equal(renewed.Token, (await store.GetKeyByAliasAsync("rotating"))?.Token);
        Assert.Equal($"rotated|{old.Token}|{renewed.Token}", await Db.ScalarAsync<string>("""
            SELECT action || '|' || (before_value ->> 'token') || '|' || object_id FROM hotdash.audit_log ORDER BY id DESC LIMIT 1
            """));
    }

    [Theory]
    [InlineData("missing-old-key", 404, "key")]
    [InlineData("new-key-taken", 400, "new_key")]
    [InlineData("same-key", 400, "new_key")]
    [InlineData("raw-new-key", 400, "new_key")]
    public async Task RegenerateKeyAsync_Refused_ReturnsTheFieldAndWritesNothing(string problem, int status, string param)
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var key = Key("current");
        await store.CreateKeyAsync(key, Admin);
        await store.CreateKeyAsync(Key("other"), Admin);
        var before = await StateAsync();
        var (oldToken, renewed) = problem switch
        {
            "missing-old-key" => (Hash("sk-never-created"), Key("fresh")),
            "new-key-taken" => (key.Token, Key("other")),
            "same-key" => (key.Token, key),
            _ => (key.Token, key with { Token = "sk-fresh" }),
        };

        var result = await store.RegenerateKeyAsync(oldToken, renewed, Admin);

        Assert.Equal((status, param), (result.Status, result.Param));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task DeleteKeysAsync_SomeMissing_DeletesAndReportsOnlyTheExistingOnes()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var (a, b, c) = (Key("a-key"), Key("b-key"), Key("c-key"));
        foreach (var key in new[] { a, b, c })
        {
            await store.CreateKeyAsync(key, Admin);
        }

        var deletion = await store.DeleteKeysAsync([c.Token, Hash("sk-missing"), a.Token, c.Token], Admin);
        var nothing = await store.DeleteKeysAsync([], Admin);

        Assert.Equal([c.Token, a.Token], deletion.Deleted.ToArray());
        Assert.Equal([c.Token, a.Token], deletion.DeletedKeyTokens.ToArray());
        Assert.Empty(nothing.Deleted);
        Assert.Null(await store.GetKeyAsync(a.Token));
        Assert.NotNull(await store.GetKeyAsync(b.Token));
        Assert.Equal(2, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log WHERE action = 'deleted' AND before_value IS NOT NULL AND updated_values IS NULL"));
    }

    [Fact]
    public async Task ListKeysAsync_FiltersAndPages_NewestFirstWithTheTotal()
    {
        var store = await SeededAsync();
        if (store is null)
        {
            return;
        }
        var made = new List<KeyDefinition>();
        for (var i = 0; i < 5; i++)
        {
            var key = Key($"list-{i}", team: i < 3 ? "team-a" : null, user: i == 4 ? "user-1" : null, alias: $"alias-{i}");
            await store.CreateKeyAsync(key, Admin);
            made.Add(key);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await store.ListKeysAsync(new KeyListQuery("team-a", null, null, 1, 2));
        var second = await store.ListKeysAsync(new KeyListQuery("team-a", null, null, 2, 2));
        var beyond = await store.ListKeysAsync(new KeyListQuery("team-a", null, null, 3, 2));
        var all = await store.ListKeysAsync(new KeyListQuery(null, null, null, 1, 10));
        var byUser = await store.ListKeysAsync(new KeyListQuery(null, "user-1", null, 1, 10));
        var byAlias = await store.ListKeysAsync(new KeyListQuery(null, null, "alias-1", 1, 10));

        Assert.Equal([made[2].Token, made[1].Token], first.Keys.Select(k => k.Token));
        Assert.Equal([made[0].Token], second.Keys.Select(k => k.Token));
        Assert.Empty(beyond.Keys);
        Assert.Equal((3, 3, 3), (first.TotalCount, second.TotalCount, beyond.TotalCount));
        Assert.Equal(made.Select(k => k.Token).Reverse(), all.Keys.Select(k => k.Token));
        Assert.Equal(5, all.TotalCount);
        Assert.Equal([made[4].Token], byUser.Keys.Select(k => k.Token));
        Assert.Equal([made[1].Token], byAlias.Keys.Select(k => k.Token));
    }

    // team-a and user-1 exist.
    private async Task<PostgresRegistryStore?> SeededAsync()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return null;
        }
        Assert.Equal(RegistryResult.Ok, await store.CreateTeamAsync(new TeamDefinition("team-a"), Admin));
        Assert.Equal(RegistryResult.Ok, await store.CreateUserAsync(new UserDefinition("user-1"), null, Admin));
        return store;
    }

    private static KeyDefinition FullKey() => Key("full-key-1234", team: "team-a", user: "user-1", alias: "my-alias") with
    {
        Models = ["gpt-4o", "mistral"],
        Aliases = ImmutableDictionary<string, string>.Empty.Add("fast", "gpt-4o-mini"),
        Limits = new QuotaLimits(
            RpmLimit: 50,
            TpmLimit: 10_000,
            MaxParallelRequests: 4,
            MaxBudget: 12.5m,
            BudgetDuration: TimeSpan.FromDays(30),
            ModelRpmLimit: ImmutableDictionary<string, long>.Empty.Add("gpt-4o", 10),
            ModelTpmLimit: ImmutableDictionary<string, long>.Empty.Add("gpt-4o", 1_000).Add("mistral", 2_000),
            ModelMaxBudget: ImmutableDictionary<string, ModelBudget>.Empty
                .Add("gpt-4o", new ModelBudget(0.5m, TimeSpan.FromDays(1)))
                .Add("mistral", new ModelBudget(2m, null))),
        BudgetDuration = "30d",
        Metadata = """{"owner":"ml","tags":["a","b"]}""",
        Expires = Start.AddDays(7),
        BudgetResetAt = Start.AddDays(30),
        Spend = 1.5m,
        ModelSpend = ImmutableDictionary<string, decimal>.Empty.Add("gpt-4o", 1.5m),
    };

    private static SpendRow Spend(string id, string token, decimal spend, string model) =>
        new(id, token, model, spend, Start, Start.AddSeconds(1)) { CallType = "acompletion", PromptTokens = 10, CompletionTokens = 5 };
}
