using HotDash.Api.Management;
using static HotDash.Api.Tests.Management.ManagementGateway;

namespace HotDash.Api.Tests.Management;

/// <summary>/key/generate, /key/info, /key/update, /key/delete, /key/list, /key/block, /key/unblock, /key/regenerate in LiteLLM's shapes.</summary>
[Collection(ManagementCollection.Name)]
public sealed class KeyEndpointsTests(ManagementFixture fixture)
{
    private ManagementGateway Gateway => fixture.Gateway;

    private async Task<JsonElement> GenerateAsync(string json = "{}") => await Gateway.PostOkAsync("/key/generate", json);

    private async Task<string> TeamAsync()
    {
        var id = Unique("team");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}"}""");
        return id;
    }

    [Fact]
    public async Task Generate_EmptyBody_AnswersANewSkKeyAndStoresOnlyItsHash()
    {
        var before = DateTimeOffset.UtcNow;

        var json = await GenerateAsync();

        var key = json.GetProperty("key").GetString()!;
        Assert.StartsWith("sk-", key);
        Assert.True(key.Length >= 35, key);
        var token = json.GetProperty("token").GetString()!;
        Assert.Equal(VirtualKeys.Hash(key), token);
        Assert.Equal(token, json.GetProperty("token_id").GetString());
        Assert.Equal("sk-..." + key[^4..], json.GetProperty("key_name").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("expires").ValueKind);
        Assert.Equal(0, json.GetProperty("spend").GetDecimal());
        Assert.False(json.GetProperty("blocked").GetBoolean());
        Assert.True(DateTimeOffset.Parse(json.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= before.AddSeconds(-1));
        var stored = await Gateway.Registry.GetKey(token);
        Assert.NotNull(stored);
        Assert.Equal("sk-..." + key[^4..], stored.KeyName);
        Assert.Null(await Gateway.Registry.GetKey(key));
    }

    [Fact]
    public async Task Generate_EveryField_RoundTripsThroughKeyInfo()
    {
        var team = await TeamAsync();
        var alias = Unique("alias");
        var before = DateTimeOffset.UtcNow;

        var generated = await GenerateAsync($$$"""
            {"key_alias": "{{{alias}}}", "team_id": "{{{team}}}", "models": ["mock-chat"], "aliases": {"gpt-4o": "mock-chat"},
             "duration": "30d", "max_budget": 12.5, "budget_duration": "1d", "tpm_limit": 1000, "rpm_limit": 60,
             "max_parallel_requests": 3, "model_rpm_limit": {"mock-chat": 10}, "model_tpm_limit": {"mock-chat": 100},
             "model_max_budget": {"mock-chat": {"budget_limit": 2, "time_period": "7d"}}, "metadata": {"app": "ci"},
             "not_a_litellm_field": true}
            """);
        var key = generated.GetProperty("key").GetString()!;

        var json = await Gateway.GetOkAsync($"/key/info?key={key}");

        Assert.Equal(key, json.GetProperty("key").GetString());
        var info = json.GetProperty("info");
        Assert.False(info.TryGetProperty("token", out _));
        Assert.Equal(alias, info.GetProperty("key_alias").GetString());
        Assert.Equal(team, info.GetProperty("team_id").GetString());
        Assert.Equal(new[] { "mock-chat" }, info.GetProperty("models").EnumerateArray().Select(m => m.GetString()!).ToArray());
        Assert.Equal("mock-chat", info.GetProperty("aliases").GetProperty("gpt-4o").GetString());
        Assert.Equal(12.5m, info.GetProperty("max_budget").GetDecimal());
        Assert.Equal("1d", info.GetProperty("budget_duration").GetString());
        Assert.Equal((1000, 60, 3), (info.GetProperty("tpm_limit").GetInt32(), info.GetProperty("rpm_limit").GetInt32(), info.GetProperty("max_parallel_requests").GetInt32()));
        Assert.Equal(10, info.GetProperty("model_rpm_limit").GetProperty("mock-chat").GetInt32());
        Assert.Equal(100, info.GetProperty("model_tpm_limit").GetProperty("mock-chat").GetInt32());
        Assert.Equal(2m, info.GetProperty("model_max_budget").GetProperty("mock-chat").GetProperty("budget_limit").GetDecimal());
        Assert.Equal("ci", info.GetProperty("metadata").GetProperty("app").GetString());
        var expires = DateTimeOffset.Parse(info.GetProperty("expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddDays(30).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(30).AddMinutes(1));

        var stored = await Gateway.Registry.GetKey(VirtualKeys.Hash(key));
        Assert.Equal(TimeSpan.FromDays(1), stored!.Limits.BudgetDuration);
        Assert.Equal(TimeSpan.FromDays(7), stored.Limits.ModelMaxBudget["mock-chat"].TimePeriod);
    }

    [Fact]
    public async Task Generate_OwnSkKey_IsTheKey()
    {
        var own = "sk-" + Guid.NewGuid().ToString("n");

        var json = await GenerateAsync($$"""{"key": "{{own}}"}""");

        Assert.Equal(own, json.GetProperty("key").GetString());
        Assert.NotNull(await Gateway.Registry.GetKey(VirtualKeys.Hash(own)));
    }

    [Fact]
    public async Task Generate_OwnKeyNotSk_Is400NamingKeyAndNothingIsWritten()
    {
        var own = "my-" + Guid.NewGuid().ToString("n");

        var error = await Gateway.PostErrorAsync("/key/generate", $$"""{"key": "{{own}}"}""", HttpStatusCode.BadRequest, "key");

        Assert.Contains("sk-", error.GetProperty("message").GetString());
        Assert.Null(await Gateway.Registry.GetKey(VirtualKeys.Hash(own)));
    }

    [Theory]
    [InlineData("\"rpm_limit\": -1", "rpm_limit")]
    [InlineData("\"rpm_limit\": \"ten\"", "rpm_limit")]
    [InlineData("\"tpm_limit\": -5", "tpm_limit")]
    [InlineData("\"tpm_limit\": 2.5", "tpm_limit")]
    [InlineData("\"max_parallel_requests\": -1", "max_parallel_requests")]
    [InlineData("\"max_budget\": -0.5", "max_budget")]
    [InlineData("\"max_budget\": \"lots\"", "max_budget")]
    [InlineData("\"duration\": \"30x\"", "duration")]
    [InlineData("\"budget_duration\": \"30x\"", "budget_duration")]
    [InlineData("\"model_rpm_limit\": {\"mock-chat\": -1}", "model_rpm_limit")]
    [InlineData("\"model_tpm_limit\": [1]", "model_tpm_limit")]
    [InlineData("\"model_max_budget\": {\"mock-chat\": {\"budget_limit\": 1, \"time_period\": \"30x\"}}", "model_max_budget")]
    [InlineData("\"models\": \"mock-chat\"", "models")]
    [InlineData("\"aliases\": [\"x\"]", "aliases")]
    [InlineData("\"metadata\": \"x\"", "metadata")]
    [InlineData("\"blocked\": \"no\"", "blocked")]
    [InlineData("\"team_id\": \"no-such-team-for-key\"", "team_id")]
    [InlineData("\"user_id\": \"no-such-user-for-key\"", "user_id")]
    public async Task Generate_BadField_Is400NamingItAndNothingIsWritten(string field, string param)
    {
        var alias = Unique("bad");

        var error = await Gateway.PostErrorAsync("/key/generate", $$"""{"key_alias": "{{alias}}", {{field}}}""", HttpStatusCode.BadRequest, param);

        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(param, error.GetProperty("message").GetString());
        Assert.Null(await Gateway.Registry.GetKeyByAlias(alias));
    }

    [Theory]
    [InlineData("{\"key_alias\": ")]
    [InlineData("[1]")]
    public async Task Generate_MalformedBody_Is400(string body)
    {
        await Gateway.PostErrorAsync("/key/generate", body, HttpStatusCode.BadRequest, null);
    }

    [Fact]
    public async Task Generate_DuplicateAlias_Is400NamingKeyAlias()
    {
        var alias = Unique("dup");
        var first = await GenerateAsync($$"""{"key_alias": "{{alias}}"}""");

        await Gateway.PostErrorAsync("/key/generate", $$"""{"key_alias": "{{alias}}"}""", HttpStatusCode.BadRequest, "key_alias");

        Assert.Equal(first.GetProperty("token").GetString(), (await Gateway.Registry.GetKeyByAlias(alias))!.Token);
    }

    [Fact]
    public async Task Info_HashInsteadOfKey_FindsTheKey()
    {
        var token = (await GenerateAsync()).GetProperty("token").GetString()!;

        var json = await Gateway.GetOkAsync($"/key/info?key={token}");

        Assert.Equal(token, json.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Info_UnknownKey_Is404()
    {
        await Gateway.GetErrorAsync("/key/info?key=sk-never-generated-" + Guid.NewGuid().ToString("n"), HttpStatusCode.NotFound, "key");
    }

    [Theory]
    [InlineData("/key/info", HttpStatusCode.BadRequest)]
    [InlineData("/key/info?key=neither-key-nor-hash", HttpStatusCode.BadRequest)]
    public async Task Info_NoUsableKey_Is400NamingKey(string path, HttpStatusCode status)
    {
        await Gateway.GetErrorAsync(path, status, "key");
    }

    [Fact]
    public async Task Update_GivenFields_ReplaceAndNullClears()
    {
        var key = (await GenerateAsync("""{"rpm_limit": 10, "tpm_limit": 100, "metadata": {"a": 1}}""")).GetProperty("key").GetString()!;

        var json = await Gateway.PostOkAsync("/key/update", $$"""{"key": "{{key}}", "rpm_limit": 20, "tpm_limit": null, "models": ["mock-chat"], "max_budget": 5}""");

        Assert.Equal(key, json.GetProperty("key").GetString());
        Assert.Equal(20, json.GetProperty("rpm_limit").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("tpm_limit").ValueKind);
        var stored = await Gateway.Registry.GetKey(VirtualKeys.Hash(key));
        Assert.Equal(20, stored!.Limits.RpmLimit);
        Assert.Null(stored.Limits.TpmLimit);
        Assert.Equal(5m, stored.Limits.MaxBudget);
        Assert.Equal(["mock-chat"], stored.Models.ToArray());
        Assert.Equal(1, JsonDocument.Parse(stored.Metadata).RootElement.GetProperty("a").GetInt32());
    }

    [Fact]
    public async Task Update_ByKeyAlias_FindsTheKey()
    {
        var alias = Unique("by-alias");
        var token = (await GenerateAsync($$"""{"key_alias": "{{alias}}"}""")).GetProperty("token").GetString()!;

        await Gateway.PostOkAsync("/key/update", $$"""{"key_alias": "{{alias}}", "rpm_limit": 7}""");

        Assert.Equal(7, (await Gateway.Registry.GetKey(token))!.Limits.RpmLimit);
    }

    [Fact]
    public async Task Update_BadValue_Is400NamingItAndTheKeyIsUnchanged()
    {
        var key = (await GenerateAsync("""{"rpm_limit": 10}""")).GetProperty("key").GetString()!;

        await Gateway.PostErrorAsync("/key/update", $$"""{"key": "{{key}}", "rpm_limit": 99, "budget_duration": "30x"}""", HttpStatusCode.BadRequest, "budget_duration");

        Assert.Equal(10, (await Gateway.Registry.GetKey(VirtualKeys.Hash(key)))!.Limits.RpmLimit);
    }

    [Fact]
    public async Task Update_UnknownTeam_Is400NamingTeamId()
    {
        var key = (await GenerateAsync()).GetProperty("key").GetString()!;

        await Gateway.PostErrorAsync("/key/update", $$"""{"key": "{{key}}", "team_id": "{{Unique("missing")}}"}""", HttpStatusCode.BadRequest, "team_id");

        Assert.Null((await Gateway.Registry.GetKey(VirtualKeys.Hash(key)))!.TeamId);
    }

    [Theory]
    [InlineData("{\"rpm_limit\": 1}", HttpStatusCode.BadRequest, "key")]
    [InlineData("{\"key\": \"sk-unknown-key-for-update\", \"rpm_limit\": 1}", HttpStatusCode.NotFound, "key")]
    [InlineData("{\"key\": \"plain-text\", \"rpm_limit\": 1}", HttpStatusCode.BadRequest, "key")]
    public async Task Update_NoKnownKey_IsRefusedNamingKey(string body, HttpStatusCode status, string param)
    {
        await Gateway.PostErrorAsync("/key/update", body, status, param);
    }

    [Fact]
    public async Task Delete_KeysAndHashes_AnswersDeletedKeysAndTheyAreGone()
    {
        var a = (await GenerateAsync()).GetProperty("key").GetString()!;
        var b = (await GenerateAsync()).GetProperty("token").GetString()!;

        var json = await Gateway.PostOkAsync("/key/delete", $$"""{"keys": ["{{a}}", "{{b}}"]}""");

        var deleted = json.GetProperty("deleted_keys").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal).ToArray(), deleted);
        Assert.Null(await Gateway.Registry.GetKey(VirtualKeys.Hash(a)));
        Assert.Null(await Gateway.Registry.GetKey(b));
        await Gateway.GetErrorAsync($"/key/info?key={a}", HttpStatusCode.NotFound, "key");
    }

    [Fact]
    public async Task Delete_KeyAliases_DeletesThoseKeys()
    {
        var alias = Unique("del");
        var token = (await GenerateAsync($$"""{"key_alias": "{{alias}}"}""")).GetProperty("token").GetString()!;

        var json = await Gateway.PostOkAsync("/key/delete", $$"""{"key_aliases": ["{{alias}}"]}""");

        Assert.Equal(alias, Assert.Single(json.GetProperty("deleted_keys").EnumerateArray()).GetString());
        Assert.Null(await Gateway.Registry.GetKey(token));
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest, "keys")]
    [InlineData("{\"keys\": \"sk-1\"}", HttpStatusCode.BadRequest, "keys")]
    [InlineData("{\"keys\": [\"garbage\"]}", HttpStatusCode.BadRequest, "keys")]
    [InlineData("{\"keys\": [\"sk-never-existed-key\"]}", HttpStatusCode.NotFound, "keys")]
    [InlineData("{\"key_aliases\": [\"never-existed-alias\"]}", HttpStatusCode.NotFound, "key_aliases")]
    public async Task Delete_NothingToDelete_IsRefused(string body, HttpStatusCode status, string param)
    {
        await Gateway.PostErrorAsync("/key/delete", body, status, param);
    }

    [Fact]
    public async Task List_TeamFilter_AnswersHashesWithPaging()
    {
        var team = await TeamAsync();
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            tokens.Add((await GenerateAsync($$"""{"team_id": "{{team}}"}""")).GetProperty("token").GetString()!);
        }

        var all = await Gateway.GetOkAsync($"/key/list?team_id={team}");
        var page2 = await Gateway.GetOkAsync($"/key/list?team_id={team}&size=2&page=2");

        Assert.Equal(tokens.Order(StringComparer.Ordinal), all.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal((3, 1, 1), (all.GetProperty("total_count").GetInt32(), all.GetProperty("current_page").GetInt32(), all.GetProperty("total_pages").GetInt32()));
        Assert.Single(page2.GetProperty("keys").EnumerateArray());
        Assert.Equal((2, 2), (page2.GetProperty("current_page").GetInt32(), page2.GetProperty("total_pages").GetInt32()));
    }

    [Fact]
    public async Task List_ReturnFullObject_AnswersKeyObjects()
    {
        var team = await TeamAsync();
        var token = (await GenerateAsync($$"""{"team_id": "{{team}}", "rpm_limit": 9}""")).GetProperty("token").GetString()!;

        var json = await Gateway.GetOkAsync($"/key/list?team_id={team}&return_full_object=true");

        var key = Assert.Single(json.GetProperty("keys").EnumerateArray());
        Assert.Equal(token, key.GetProperty("token").GetString());
        Assert.Equal(9, key.GetProperty("rpm_limit").GetInt32());
    }

    [Fact]
    public async Task List_KeyHash_AnswersThatKey()
    {
        var token = (await GenerateAsync()).GetProperty("token").GetString()!;

        var json = await Gateway.GetOkAsync($"/key/list?key_hash={token}");

        Assert.Equal(token, Assert.Single(json.GetProperty("keys").EnumerateArray()).GetString());
    }

    [Theory]
    [InlineData("size=0", "size")]
    [InlineData("size=101", "size")]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("return_full_object=maybe", "return_full_object")]
    public async Task List_BadQuery_Is400NamingIt(string query, string param)
    {
        await Gateway.GetErrorAsync($"/key/list?{query}", HttpStatusCode.BadRequest, param);
    }

    [Fact]
    public async Task BlockAndUnblock_Key_FlipBlocked()
    {
        var key = (await GenerateAsync()).GetProperty("key").GetString()!;

        var blocked = await Gateway.PostOkAsync("/key/block", $$"""{"key": "{{key}}"}""");
        var info = await Gateway.GetOkAsync($"/key/info?key={key}");
        var unblocked = await Gateway.PostOkAsync("/key/unblock", $$"""{"key": "{{VirtualKeys.Hash(key)}}"}""");

        Assert.True(blocked.GetProperty("blocked").GetBoolean());
        Assert.Equal(VirtualKeys.Hash(key), blocked.GetProperty("token").GetString());
        Assert.True(info.GetProperty("info").GetProperty("blocked").GetBoolean());
        Assert.False(unblocked.GetProperty("blocked").GetBoolean());
        Assert.False((await Gateway.Registry.GetKey(VirtualKeys.Hash(key)))!.Blocked);
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest)]
    [InlineData("{\"key\": \"not-a-key\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"key\": \"sk-never-made-to-block\"}", HttpStatusCode.NotFound)]
    public async Task Block_NoKnownKey_IsRefusedNamingKey(string body, HttpStatusCode status)
    {
        await Gateway.PostErrorAsync("/key/block", body, status, "key");
    }

    [Fact]
    public async Task Regenerate_Path_AnswersANewKeyAndTheOldOneIsGone()
    {
        var alias = Unique("regen");
        var old = (await GenerateAsync($$"""{"key_alias": "{{alias}}", "rpm_limit": 33}""")).GetProperty("key").GetString()!;

        var json = await Gateway.PostOkAsync($"/key/{old}/regenerate", "");

        var fresh = json.GetProperty("key").GetString()!;
        Assert.StartsWith("sk-", fresh);
        Assert.NotEqual(old, fresh);
        Assert.Equal(VirtualKeys.Hash(fresh), json.GetProperty("token").GetString());
        Assert.Equal(alias, json.GetProperty("key_alias").GetString());
        Assert.Equal(33, json.GetProperty("rpm_limit").GetInt32());
        Assert.Null(await Gateway.Registry.GetKey(VirtualKeys.Hash(old)));
        Assert.Equal(VirtualKeys.Hash(fresh), (await Gateway.Registry.GetKeyByAlias(alias))!.Token);
    }

    [Fact]
    public async Task Regenerate_BodyWithKeyAndChanges_AppliesThem()
    {
        var old = (await GenerateAsync()).GetProperty("key").GetString()!;
        var chosen = "sk-" + Guid.NewGuid().ToString("n");

        var json = await Gateway.PostOkAsync("/key/regenerate", $$"""{"key": "{{old}}", "new_key": "{{chosen}}", "max_budget": 4}""");

        Assert.Equal(chosen, json.GetProperty("key").GetString());
        Assert.Equal(4m, (await Gateway.Registry.GetKey(VirtualKeys.Hash(chosen)))!.Limits.MaxBudget);
    }

    [Theory]
    [InlineData("{\"new_key\": \"plain\"}", HttpStatusCode.BadRequest, "new_key")]
    [InlineData("{\"max_budget\": -1}", HttpStatusCode.BadRequest, "max_budget")]
    [InlineData("{\"new_master_key\": \"sk-new-master\"}", HttpStatusCode.BadRequest, "new_master_key")]
    public async Task Regenerate_BadBody_IsRefusedAndTheOldKeyStays(string body, HttpStatusCode status, string param)
    {
        var old = (await GenerateAsync()).GetProperty("key").GetString()!;

        await Gateway.PostErrorAsync($"/key/{old}/regenerate", body, status, param);

        Assert.NotNull(await Gateway.Registry.GetKey(VirtualKeys.Hash(old)));
    }

    [Fact]
    public async Task Regenerate_UnknownKey_Is404()
    {
        await Gateway.PostErrorAsync("/key/sk-never-generated-regen/regenerate", "", HttpStatusCode.NotFound, "key");
    }
}
