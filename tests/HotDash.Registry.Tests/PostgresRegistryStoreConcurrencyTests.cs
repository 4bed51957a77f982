namespace HotDash.Registry.Tests;

/// <summary>
/// The PostgreSQL registry under concurrent writers (each with its own pool, as separate silos have): admin writes and
/// ledger batches do not deadlock or lose spend, and races on unique values or on deleted rows end in refusals.
/// </summary>
public sealed class PostgresRegistryStoreConcurrencyTests(ITestOutputHelper output) : RegistryStoreTestBase(output)
{
    // A guard against a hang, not a speed target: the work below takes a second or two.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task LedgerBatchesAndAdminWrites_Concurrently_NeitherDeadlockNorLoseSpend()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "user"), new TeamMember("u2", null, "user")] }, Admin);
        await store.CreateTeamAsync(new TeamDefinition("team-b") { Members = [new TeamMember("u1", null, "user")] }, Admin);
        KeyDefinition[] keys = [Key("c-a", team: "team-a", user: "u1"), Key("c-b", team: "team-b", user: "u1"), Key("c-c", user: "u2"), Key("c-d", team: "team-a", user: "u2")];
        foreach (var key in keys)
        {
            Assert.Equal(RegistryResult.Ok, await store.CreateKeyAsync(key, Admin));
        }
        string[] models = ["gpt-4o", "claude", "mistral"];
        var rows = Enumerable.Range(0, 240).Select(i =>
        {
            var key = keys[i % keys.Length];
            return new SpendRow($"req-{i:D4}", key.Token, models[i % models.Length], 0.001m * (i + 1), Start.AddMinutes(i), Start.AddMinutes(i))
            {
                TeamId = key.TeamId,
                UserId = key.UserId,
                PromptTokens = 10,
                CompletionTokens = 5,
            };
        }).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Four ledger writers: writer 0 covers every row, the others random overlapping shuffled batches.
        var ledgerWriters = Enumerable.Range(0, 4).Select(w =>
        {
            var writer = NewStore(Registry());
            var random = new Random(w);
            var batches = Enumerable.Range(0, 4)
                .Select(b => w == 0 ? rows.Skip(b * 60).Take(60).ToArray() : rows.OrderBy(_ => random.Next()).Take(70).ToArray())
                .ToArray();
            return Task.Run(async () =>
            {
                await go.Task;
                var inserted = 0;
                foreach (var batch in batches)
                {
                    inserted += await writer.WriteSpendAsync(batch);
                }
                return inserted;
            });
        }).ToArray();

        // Three admins changing the same keys, teams, users and memberships the batches add spend to.
        var admins = new Func<PostgresRegistryStore, int, Task<RegistryResult>>[]
        {
            (s, i) => s.UpdateKeyAsync(keys[i % keys.Length] with { Limits = QuotaLimits.None with { RpmLimit = i + 1 }, Blocked = i % 2 == 0 }, Admin),
            (s, i) => i % 2 == 0
                ? s.UpdateTeamAsync(new TeamDefinition(i % 4 == 0 ? "team-a" : "team-b") { Limits = QuotaLimits.None with { TpmLimit = i + 1 } }, Admin)
                : s.UpdateUserAsync(new UserDefinition(i % 4 == 1 ? "u1" : "u2") { UserAlias = $"alias-{i}" }, Admin),
            (s, i) => s.AddTeamMembersAsync("team-a", [new TeamMember("u1", null, i % 2 == 0 ? "admin" : "user"), new TeamMember("u2", null, i % 2 == 0 ? "user" : "admin")], Admin),
        };
        var adminTasks = admins.Select(change =>
        {
            var admin = NewStore(Registry());
            return Task.Run(async () =>
            {
                await go.Task;
                var results = new List<RegistryResult>();
                for (var i = 0; i < 20; i++)
                {
                    results.Add(await change(admin, i));
                }
                return results;
            });
        }).ToArray();

        go.SetResult();
        var inserted = await Task.WhenAll(ledgerWriters).WaitAsync(HangGuard);
        var adminResults = await Task.WhenAll(adminTasks).WaitAsync(HangGuard);

        Assert.All(adminResults.SelectMany(r => r), r => Assert.Equal(RegistryResult.Ok, r));
        Assert.Equal(rows.Length, inserted.Sum());
        foreach (var key in keys)
        {
            var read = await store.GetKeyAsync(key.Token);
            Assert.Equal(rows.Where(r => r.KeyHash == key.Token).Sum(r => r.Spend), read!.Spend);
            Assert.Equal(rows.Where(r => r.KeyHash == key.Token && r.Model == "claude").Sum(r => r.Spend), read.ModelSpend.GetValueOrDefault("claude"));
        }
        Assert.Equal(rows.Where(r => r.TeamId == "team-a").Sum(r => r.Spend), (await store.GetTeamAsync("team-a"))!.Spend);
        Assert.Equal(rows.Where(r => r.UserId == "u2").Sum(r => r.Spend), (await store.GetUserAsync("u2"))!.Spend);
        Assert.Equal(rows.Where(r => r.TeamId == "team-a" && r.UserId == "u1").Sum(r => r.Spend),
            await Db.ScalarAsync<decimal>("SELECT spend FROM hotdash.team_memberships WHERE team_id = 'team-a' AND user_id = 'u1'"));
        // A deadlock PostgreSQL broke would have been retried quietly by the store: it must not have happened at all.
        Assert.DoesNotContain(StoreLog.Messages, m => m.Contains("40P01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateKeyAsync_SameAliasFromEightWriters_OneWinsAndTheOthersAreRefusedByName()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var stores = Enumerable.Range(0, 8).Select(_ => NewStore(Registry())).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = stores.Select((s, i) => Task.Run(async () =>
        {
            await go.Task;
            return await s.CreateKeyAsync(Key($"racer-{i}", alias: "contested"), Admin);
        })).ToArray();

        go.SetResult();
        var results = await Task.WhenAll(attempts).WaitAsync(HangGuard);

        Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(RegistryResult.Invalid("key_alias", "key_alias 'contested' is already used by another key"), r));
        Assert.Equal(1, await CountAsync("keys"));
        Assert.Equal(1, await CountAsync("audit_log"));
    }

    [Fact]
    public async Task CreateTeamAsync_SameIdFromEightWriters_OneWinsAndTheOthersAreRefused()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var stores = Enumerable.Range(0, 8).Select(_ => NewStore(Registry())).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = stores.Select((s, i) => Task.Run(async () =>
        {
            await go.Task;
            return await s.CreateTeamAsync(new TeamDefinition("team-x") { Members = [new TeamMember($"member-{i}", null, "user")] }, Admin);
        })).ToArray();

        go.SetResult();
        var results = await Task.WhenAll(attempts).WaitAsync(HangGuard);

        Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal((400, "team_id"), (r.Status, r.Param)));
        // Only the winner's member was created: the losers rolled back theirs.
        Assert.Equal(1, await CountAsync("users"));
        Assert.Single((await store.GetTeamAsync("team-x"))!.Members);
    }

    [Fact]
    public async Task DeleteTeamAndCreateKeyInIt_Concurrently_LeaveNoKeyOfAMissingTeam()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var deleter = NewStore(Registry());
        var creator = NewStore(Registry());
        for (var round = 0; round < 10; round++)
        {
            var team = $"doomed-{round}";
            await store.CreateTeamAsync(new TeamDefinition(team), Admin);
            var key = Key($"late-{round}", team: team);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var deletion = Task.Run(async () =>
            {
                await go.Task;
                return await deleter.DeleteTeamsAsync([team], Admin);
            });
            var creation = Task.Run(async () =>
            {
                await go.Task;
                return await creator.CreateKeyAsync(key, Admin);
            });

            go.SetResult();
            var deleted = await deletion.WaitAsync(HangGuard);
            var created = await creation.WaitAsync(HangGuard);

            Assert.Equal([team], deleted.Deleted.ToArray());
            // Either the key made it in first and went with its team, or its team was already gone.
            if (created.IsOk)
            {
                Assert.Equal([key.Token], deleted.DeletedKeyTokens.ToArray());
            }
            else
            {
                Assert.Equal(RegistryResult.Invalid("team_id", $"team_id '{team}' does not exist"), created);
            }
            Assert.Null(await store.GetKeyAsync(key.Token));
        }
        Assert.Equal(0, await CountAsync("keys"));
    }

    [Fact]
    public async Task RegenerateKeyAsync_DuringLedgerBatches_MovesTheSpendSettledUpToTheRotation()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var key = Key("rotating");
        await store.CreateKeyAsync(key, Admin);
        var rows = Enumerable.Range(0, 50).Select(i => new SpendRow($"req-{i:D2}", key.Token, "gpt-4o", 0.01m, Start, Start)).ToArray();
        var writer = NewStore(Registry());
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writing = Task.Run(async () =>
        {
            await go.Task;
            var inserted = 0;
            foreach (var batch in rows.Chunk(5))
            {
                inserted += await writer.WriteSpendAsync(batch);
            }
            return inserted;
        });
        var renewed = key with { Token = Hash("sk-rotated") };

        go.SetResult();
        var rotated = await store.RegenerateKeyAsync(key.Token, renewed, Admin);
        var inserted = await writing.WaitAsync(HangGuard);

        // The new key carries exactly the spend the old one had when it moved (whole batches only); rows settled
        // under the old hash afterwards stay in the ledger, which holds every one of them.
        Assert.Equal(RegistryResult.Ok, rotated);
        Assert.Equal(rows.Length, inserted);
        var atRotation = await Db.ScalarAsync<decimal>("SELECT (before_value ->> 'spend')::numeric FROM hotdash.audit_log WHERE action = 'rotated'");
        Assert.Equal(atRotation, (await store.GetKeyAsync(renewed.Token))!.Spend);
        Assert.Equal(0m, atRotation * 100 % 5);
        Assert.Equal(0.5m, await Db.ScalarAsync<decimal>($"SELECT sum(spend) FROM hotdash.spend_logs WHERE api_key = '{key.Token}'"));
        Assert.Null(await store.GetKeyAsync(key.Token));
    }

    [Theory]
    [InlineData("alias-inserted", 400, "key_alias", "key_alias 'contested' is already used by another key")]
    [InlineData("team-deleted", 400, "team_id", "team_id 'team-a' does not exist")]
    public async Task CreateKeyAsync_ConflictCommittedWhileItWaits_IsRefusedByName(string race, int status, string param, string message)
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a"), Admin);
        // Another writer's change, not yet committed: invisible to the store's checks, so only the constraint sees it.
        await using var other = await Db.OpenAsync();
        await using var tx = await other.BeginTransactionAsync();
        var sql = race == "alias-inserted"
            ? $"INSERT INTO hotdash.keys (token, key_alias) VALUES ('{Hash("sk-other")}', 'contested')"
            : "DELETE FROM hotdash.teams WHERE team_id = 'team-a'";
        await using (var command = new NpgsqlCommand(sql, other))
        {
            await command.ExecuteNonQueryAsync();
        }

        var creating = store.CreateKeyAsync(Key("mine", team: "team-a", alias: "contested"), Admin);
        await WaitForALockWaitAsync();
        await tx.CommitAsync();
        var result = await creating.WaitAsync(HangGuard);

        Assert.Equal(new RegistryResult(status, message, param), result);
        Assert.Contains(StoreLog.Messages, m => m.Contains("met a concurrent change", StringComparison.Ordinal));
        Assert.Null(await store.GetKeyAsync(Key("mine").Token));
        Assert.Equal(0, await Db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.audit_log WHERE object_id = '{Key("mine").Token}'"));
    }

    // Until some session of this database waits on a lock (the store's insert, behind the other transaction).
    private async Task WaitForALockWaitAsync()
    {
        for (var i = 0; i < 1_000; i++)
        {
            if (await Db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0)
            {
                return;
            }
            await Task.Delay(10);
        }
        Assert.Fail("the store's write never waited on the other transaction");
    }
}
