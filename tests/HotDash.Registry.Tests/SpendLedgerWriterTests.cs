using System.Security.Cryptography;
using System.Text;

namespace HotDash.Registry.Tests;

/// <summary>The spend ledger on a real PostgreSQL: idempotent batches, exact rollups, no deadlocks between writers.</summary>
public sealed class SpendLedgerWriterTests(ITestOutputHelper output) : RegistryTestBase(output)
{
    private static readonly string KeyA = Hash("sk-test-key-a");
    private static readonly string KeyB = Hash("sk-test-key-b");
    private static readonly string KeyC = Hash("sk-test-key-c");
    private static readonly DateTimeOffset Day1 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WriteAsync_SameBatchTwice_CountsEveryRowOnce()
    {
        var writer = await WriterAsync();
        if (writer is null)
        {
            return;
        }
        SpendRow[] batch =
        [
            Row("req-1", KeyA, "team-a", "user-1", "gpt-4o", 0.0012345678m),
            Row("req-2", KeyA, "team-a", "user-1", "gpt-4o-mini", 0.5m, group: "mini"),
            Row("req-3", KeyB, "team-b", null, "gpt-4o", 1.25m),
        ];

        var first = await writer.WriteAsync(batch);
        var retried = await writer.WriteAsync(batch);

        Assert.Equal(new SpendWriteResult(3, 0), first);
        Assert.Equal(new SpendWriteResult(0, 3), retried);
        Assert.Equal(3, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.spend_logs"));
        Assert.Equal(0.5012345678m, await SpendAsync("keys", "token", KeyA));
        Assert.Equal(1.25m, await SpendAsync("keys", "token", KeyB));
        Assert.Equal(0.5012345678m, await SpendAsync("teams", "team_id", "team-a"));
        Assert.Equal(1.25m, await SpendAsync("teams", "team_id", "team-b"));
        Assert.Equal(0.5012345678m, await SpendAsync("users", "user_id", "user-1"));
        Assert.Equal(0.5012345678m, await Db.ScalarAsync<decimal>("SELECT spend FROM hotdash.team_memberships WHERE team_id = 'team-a' AND user_id = 'user-1'"));
        Assert.Equal(0.0012345678m, await Db.ScalarAsync<decimal>($"SELECT (model_spend ->> 'gpt-4o')::numeric FROM hotdash.keys WHERE token = '{KeyA}'"));
        Assert.Equal(0.5m, await Db.ScalarAsync<decimal>($"SELECT (model_spend ->> 'mini')::numeric FROM hotdash.keys WHERE token = '{KeyA}'"));
        Assert.Equal(1.7512345678m, await Db.ScalarAsync<decimal>("SELECT sum(spend) FROM hotdash.spend_daily"));
        Assert.Equal(3, await Db.ScalarAsync<long>("SELECT sum(api_requests) FROM hotdash.spend_daily"));
    }

    [Fact]
    public async Task WriteAsync_OverlappingBatches_AddOnlyTheNewRows()
    {
        var writer = await WriterAsync();
        if (writer is null)
        {
            return;
        }
        var r1 = Row("req-1", KeyA, "team-a", "user-1", "gpt-4o", 1m);
        var r2 = Row("req-2", KeyA, "team-a", "user-1", "gpt-4o", 2m);
        var r3 = Row("req-3", KeyA, "team-a", "user-1", "gpt-4o", 4m);

        var first = await writer.WriteAsync([r1, r2]);
        var second = await writer.WriteAsync([r3, r2]);

        Assert.Equal(new SpendWriteResult(2, 0), first);
        Assert.Equal(new SpendWriteResult(1, 1), second);
        Assert.Equal(7m, await SpendAsync("keys", "token", KeyA));
        Assert.Equal(7m, await SpendAsync("teams", "team_id", "team-a"));
        Assert.Equal(7m, await Db.ScalarAsync<decimal>($"SELECT (model_spend ->> 'gpt-4o')::numeric FROM hotdash.keys WHERE token = '{KeyA}'"));
        Assert.Equal(3, await Db.ScalarAsync<long>("SELECT api_requests FROM hotdash.spend_daily"));
    }

    [Fact]
    public async Task WriteAsync_DailyRollup_GroupsByUtcDayKeyTeamUserAndPublicModelName()
    {
        var writer = await WriterAsync();
        if (writer is null)
        {
            return;
        }
        SpendRow[] batch =
        [
            Row("late", KeyA, "team-a", "user-1", "gpt-4o-2024-08-06", 1m, group: "gpt", start: new(2025, 1, 1, 23, 59, 59, TimeSpan.Zero)) with { PromptTokens = 10, CompletionTokens = 5 },
            // 01:30 in UTC+2 is still the 1st in UTC.
            Row("east", KeyA, "team-a", "user-1", "gpt-4o-2024-08-06", 0m, group: "gpt", start: new(2025, 1, 2, 1, 30, 0, TimeSpan.FromHours(2))) with { PromptTokens = 3, CompletionTokens = 0, Success = false },
            Row("next", KeyA, "team-a", "user-1", "gpt-4o-2024-08-06", 2m, group: "gpt", start: new(2025, 1, 2, 0, 0, 1, TimeSpan.Zero)) with { PromptTokens = 1, CompletionTokens = 1 },
            // The master key, no team, no user, no group: '' in the key columns, the model itself as the model.
            Row("master", "", null, null, "mock-chat", 0.25m, start: new(2025, 1, 2, 8, 0, 0, TimeSpan.Zero)) with { PromptTokens = 7, CompletionTokens = 8 },
        ];

        await writer.WriteAsync(batch);
        var rows = await QueryAsync("""
            SELECT date::text || '|' || (api_key = '') || '|' || team_id || '|' || user_id || '|' || model || '|' || api_requests || '|' ||
                   successful_requests || '|' || failed_requests || '|' || prompt_tokens || '|' || completion_tokens || '|' || spend
            FROM hotdash.spend_daily ORDER BY date, api_key, model
            """);

        Assert.Equal(
        [
            "2025-01-01|false|team-a|user-1|gpt|2|1|1|13|5|1.0000000000",
            "2025-01-02|true|||mock-chat|1|1|0|7|8|0.2500000000",
            "2025-01-02|false|team-a|user-1|gpt|1|1|0|1|1|2.0000000000",
        ], rows);
        Assert.Equal("failure", await Db.ScalarAsync<string>("SELECT status FROM hotdash.spend_logs WHERE request_id = 'east'"));
        Assert.Equal(15, await Db.ScalarAsync<long>("SELECT total_tokens FROM hotdash.spend_logs WHERE request_id = 'late'"));
    }

    [Fact]
    public async Task WriteAsync_RequestIdTwiceInOneBatch_WritesTheFirstOnce()
    {
        var writer = await WriterAsync();
        if (writer is null)
        {
            return;
        }
        var result = await writer.WriteAsync([Row("req-1", KeyA, "team-a", "user-1", "gpt-4o", 1m), Row("req-1", KeyA, "team-a", "user-1", "gpt-4o", 100m)]);

        Assert.Equal(new SpendWriteResult(1, 1), result);
        Assert.Equal(1m, await SpendAsync("keys", "token", KeyA));
    }

    [Fact]
    public async Task WriteAsync_UnknownKeyTeamAndUser_AreStillLoggedAndRolledUp()
    {
        var writer = await WriterAsync();
        if (writer is null)
        {
            return;
        }
        // A key deleted since the request (or one from before the registry): the ledger keeps its spend regardless.
        var result = await writer.WriteAsync([Row("req-1", Hash("sk-deleted"), "team-gone", "user-gone", "gpt-4o", 3m)]);

        Assert.Equal(1, result.Inserted);
        Assert.Equal(3m, await Db.ScalarAsync<decimal>("SELECT spend FROM hotdash.spend_daily WHERE team_id = 'team-gone'"));
        Assert.Equal(0m, await Db.ScalarAsync<decimal>("SELECT sum(spend) FROM hotdash.keys"));
    }

    [Fact]
    public async Task WriteAsync_MetadataObject_IsStoredAsJson()
    {
        var writer = await WriterAsync();
        if (writer is null)
        {
            return;
        }
        await writer.WriteAsync([Row("req-1", KeyA, "team-a", "user-1", "gpt-4o", 1m) with { Metadata = """{"tags":["a","b"],"trace_id":"t-1"}""" }]);

        Assert.Equal("t-1", await Db.ScalarAsync<string>("SELECT metadata ->> 'trace_id' FROM hotdash.spend_logs"));
    }

    [Theory]
    [InlineData("raw-key")]
    [InlineData("negative-spend")]
    [InlineData("bad-metadata")]
    [InlineData("no-request-id")]
    public async Task WriteAsync_MalformedRow_ThrowsAndWritesNothingOfTheBatch(string problem)
    {
        var writer = await WriterAsync();
        if (writer is null)
        {
            return;
        }
        var good = Row("req-ok", KeyA, "team-a", "user-1", "gpt-4o", 1m);
        var bad = problem switch
        {
            "raw-key" => Row("req-bad", "sk-test-key-a", "team-a", "user-1", "gpt-4o", 1m),
            "negative-spend" => Row("req-bad", KeyA, "team-a", "user-1", "gpt-4o", -1m),
            "bad-metadata" => Row("req-bad", KeyA, "team-a", "user-1", "gpt-4o", 1m) with { Metadata = "[1,2]" },
            _ => Row("", KeyA, "team-a", "user-1", "gpt-4o", 1m),
        };

        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync([good, bad]));

        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.spend_logs"));
    }

    [Fact]
    public async Task WriteAsync_BatchFailingHalfway_KeepsNothingAndItsRetryCountsOnce()
    {
        var writer = await WriterAsync();
        if (writer is null)
        {
            return;
        }
        // A model_spend entry that is not a number makes the key update fail after the ledger insert.
        await ExecuteAsync($$"""UPDATE keys SET model_spend = '{"gpt-4o": "oops"}' WHERE token = '{{KeyA}}'""");
        SpendRow[] batch = [Row("req-1", KeyA, "team-a", "user-1", "gpt-4o", 1m), Row("req-2", KeyB, "team-b", null, "gpt-4o", 2m)];

        await Assert.ThrowsAsync<PostgresException>(() => writer.WriteAsync(batch));
        var afterFailure = await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.spend_logs");
        await ExecuteAsync($"UPDATE keys SET model_spend = '{{}}' WHERE token = '{KeyA}'");
        var retried = await writer.WriteAsync(batch);

        Assert.Equal(0, afterFailure);
        Assert.Equal(new SpendWriteResult(2, 0), retried);
        Assert.Equal(1m, await SpendAsync("keys", "token", KeyA));
        Assert.Equal(2m, await SpendAsync("teams", "team_id", "team-b"));
    }

    [Fact]
    public async Task WriteAsync_EightWritersWithOverlappingBatches_NeitherDeadlockNorDoubleCount()
    {
        if (await WriterAsync() is null)
        {
            return;
        }
        // 240 requests over three keys, two teams, two users, three models and two days: every batch touches
        // the same key, team, user and daily rows, so unordered writers would lock them in conflicting orders.
        (string Key, string? Team, string? User)[] owners = [(KeyA, "team-a", "user-1"), (KeyB, "team-b", null), (KeyC, null, "user-2")];
        string[] models = ["gpt-4o", "claude", "mistral"];
        var all = Enumerable.Range(0, 240).Select(i =>
        {
            var (key, team, user) = owners[i % owners.Length];
            return Row($"req-{i:D4}", key, team, user, models[i % models.Length], 0.001m * (i + 1), start: Day1.AddHours(i % 2 * 24 + i % 5));
        }).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 8).Select(w =>
        {
            var writer = new SpendLedgerWriter(Registry(), Log<SpendLedgerWriter>());
            var random = new Random(w);
            // Writer 0 covers everything; the others write random overlapping thirds, each batch in shuffled order.
            var batches = Enumerable.Range(0, 3)
                .Select(b => w == 0 ? all.Skip(b * 80).Take(80).ToArray() : all.OrderBy(_ => random.Next()).Take(90).ToArray())
                .ToArray();
            return Task.Run(async () =>
            {
                await start.Task;
                var inserted = 0;
                foreach (var batch in batches)
                {
                    inserted += (await writer.WriteAsync(batch)).Inserted;
                }
                return inserted;
            });
        }).ToArray();

        start.SetResult();
        var inserted = await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(all.Length, inserted.Sum());
        Assert.Equal(all.Length, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.spend_logs"));
        foreach (var (key, team, user) in owners)
        {
            Assert.Equal(all.Where(r => r.KeyHash == key).Sum(r => r.Spend), await SpendAsync("keys", "token", key));
        }
        Assert.Equal(all.Where(r => r.TeamId == "team-a").Sum(r => r.Spend), await SpendAsync("teams", "team_id", "team-a"));
        Assert.Equal(all.Where(r => r.UserId == "user-2").Sum(r => r.Spend), await SpendAsync("users", "user_id", "user-2"));
        Assert.Equal(all.Where(r => r.KeyHash == KeyA && r.Model == "claude").Sum(r => r.Spend),
            await Db.ScalarAsync<decimal>($"SELECT (model_spend ->> 'claude')::numeric FROM hotdash.keys WHERE token = '{KeyA}'"));
        // The rollup equals the ledger, row for row.
        Assert.Equal(0, await Db.ScalarAsync<long>("""
            SELECT count(*) FROM (
                (SELECT date, api_key, team_id, user_id, model, api_requests, prompt_tokens, completion_tokens, spend FROM hotdash.spend_daily
                 EXCEPT
                 SELECT (start_time AT TIME ZONE 'UTC')::date, api_key, COALESCE(team_id, ''), COALESCE(user_id, ''), model, count(*),
                        sum(prompt_tokens), sum(completion_tokens), sum(spend)
                 FROM hotdash.spend_logs GROUP BY 1, 2, 3, 4, 5)
                UNION ALL
                (SELECT (start_time AT TIME ZONE 'UTC')::date, api_key, COALESCE(team_id, ''), COALESCE(user_id, ''), model, count(*),
                        sum(prompt_tokens), sum(completion_tokens), sum(spend)
                 FROM hotdash.spend_logs GROUP BY 1, 2, 3, 4, 5
                 EXCEPT
                 SELECT date, api_key, team_id, user_id, model, api_requests, prompt_tokens, completion_tokens, spend FROM hotdash.spend_daily)
            ) diff
            """));
    }

    private async Task<SpendLedgerWriter?> WriterAsync()
    {
        if (Database is null)
        {
            return null;
        }
        var registry = await MigratedAsync();
        await ExecuteAsync($"""
            INSERT INTO teams (team_id) VALUES ('team-a'), ('team-b');
            INSERT INTO users (user_id) VALUES ('user-1'), ('user-2');
            INSERT INTO team_memberships (team_id, user_id) VALUES ('team-a', 'user-1');
            INSERT INTO keys (token, key_name, team_id, user_id) VALUES
                ('{KeyA}', 'sk-...ey-a', 'team-a', 'user-1'), ('{KeyB}', 'sk-...ey-b', 'team-b', NULL), ('{KeyC}', 'sk-...ey-c', NULL, 'user-2');
            """);
        return new SpendLedgerWriter(registry, Log<SpendLedgerWriter>());
    }

    private static SpendRow Row(string id, string key, string? team, string? user, string model, decimal spend, string group = "", DateTimeOffset? start = null)
    {
        var at = start ?? Day1;
        return new SpendRow(id, key, model, spend, at, at.AddSeconds(1))
        {
            TeamId = team,
            UserId = user,
            ModelGroup = group,
            DeploymentId = $"{model}-deployment",
            CallType = "acompletion",
            PromptTokens = 100,
            CompletionTokens = 20,
        };
    }

    private Task<decimal> SpendAsync(string table, string idColumn, string id) =>
        Db.ScalarAsync<decimal>($"SELECT spend FROM hotdash.{table} WHERE {idColumn} = '{id}'");

    private async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = await Db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return lines;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
