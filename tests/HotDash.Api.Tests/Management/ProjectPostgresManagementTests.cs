using HotDash.Api.Management;
using HotDash.Grains;
using Xunit.Abstractions;
using static HotDash.Api.Tests.Management.ManagementGateway;

namespace HotDash.Api.Tests.Management;

/// <summary>The project endpoints over the registry on real PostgreSQL: a round trip, what reaches the tables and the audit log.</summary>
public sealed class ProjectPostgresManagementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ProjectsAndKeys_RoundTrip_ReachPostgresWithOnlySecretHashesAndAudited()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(output);
        if (database is null)
        {
            return;
        }
        await using var gateway = await StartAsync(registryConnectionString: database.ConnectionString);
        var id = Unique("proj");

        await gateway.PostOkAsync("/project/new", $$"""{"project_id": "{{id}}", "name": "Billing"}""", ("litellm-changed-by", "ops@example.com"));
        var key = await gateway.PostOkAsync("/project/key/generate", $$"""{"project_id": "{{id}}", "note": "prod"}""");
        var (publicKey, secret) = (key.GetProperty("public_key").GetString()!, key.GetProperty("secret_key").GetString()!);

        Assert.Equal("Billing", await database.ScalarAsync<string>($"SELECT name FROM hotdash.projects WHERE id = '{id}'"));
        Assert.Equal(ProjectApiKeys.HashSecret(secret), await database.ScalarAsync<string>($"SELECT secret_hash FROM hotdash.project_api_keys WHERE public_key = '{publicKey}'"));
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM hotdash.project_api_keys k WHERE k::text LIKE '%{secret}%'"));
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM hotdash.audit_log a WHERE a::text LIKE '%{secret}%'"));
        Assert.Equal("ops@example.com", await database.ScalarAsync<string>($"SELECT changed_by FROM hotdash.audit_log WHERE object_id = '{id}'"));
        Assert.Equal(VirtualKeys.Hash(MasterKey), await database.ScalarAsync<string>($"SELECT changed_by_api_key FROM hotdash.audit_log WHERE object_id = '{publicKey}'"));
        var info = await gateway.GetOkAsync($"/project/info?project_id={id}");
        Assert.Equal("prod", Assert.Single(info.GetProperty("api_keys").EnumerateArray()).GetProperty("note").GetString());
        Assert.Contains((await gateway.GetOkAsync("/project/list")).GetProperty("projects").EnumerateArray(), p => p.GetProperty("project_id").GetString() == DefaultProject.Id);

        await gateway.PostErrorAsync("/project/new", $$"""{"project_id": "{{id}}", "name": "Again"}""", HttpStatusCode.BadRequest, "project_id");
        await gateway.PostErrorAsync("/project/key/generate", $$"""{"project_id": "{{Unique("none")}}"}""", HttpStatusCode.BadRequest, "project_id");

        var deleted = await gateway.PostOkAsync("/project/delete", $$"""{"project_ids": ["{{id}}"]}""");
        Assert.Equal(publicKey, Assert.Single(deleted.GetProperty("deleted_public_keys").EnumerateArray()).GetString());
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.project_api_keys"));
        Assert.Equal("created,created,deleted,deleted", await database.ScalarAsync<string>(
            "SELECT string_agg(action, ',' ORDER BY id) FROM hotdash.audit_log WHERE table_name IN ('projects', 'project_api_keys')"));
        Assert.Null(await gateway.Grains.GetGrain<IProjectKeyGrain>(publicKey).Get());
    }
}
