using HotDash.Grains.Tests.Admission;
using HotDash.Testing;
using Xunit.Abstractions;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

/// <summary>The registry, key and admission grains over the PostgreSQL store, as the silo runs them with a database.</summary>
public sealed class PostgresRegistryGrainTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RegistryOverPostgres_WritesAndSpend_ReachTheDatabaseAndTheNextAdmission()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(output);
        if (database is null)
        {
            return;
        }
        await using var silo = await TestSilo.StartAsync(registryConnectionString: database.ConnectionString);
        var registry = silo.Grains.Registry();
        var admission = silo.Grains.Admission();

        var team = await registry.CreatedTeam(Team(Member(TestData.UniqueId("user"))) with { Limits = QuotaLimits.None with { RpmLimit = 1 } });
        var first = await registry.CreatedKey(Key(team.TeamId) with { Models = ["gpt-4o"] });
        var second = await registry.CreatedKey(Key(team.TeamId));
        var unknownTeam = await registry.CreateKey(Key(TestData.UniqueId("no-such-team")), Admin);

        Assert.Equal("team_id", unknownTeam.Param);
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.keys"));
        Assert.Equal(KeyAdmissionStatus.Admitted, (await admission.AdmitKey(AdmissionKeyTestData.Request(first))).Status);
        Assert.Equal(KeyAdmissionStatus.ModelDenied, (await admission.AdmitKey(AdmissionKeyTestData.Request(first, "gpt-4o-mini"))).Status);
        var limited = await admission.AdmitKey(AdmissionKeyTestData.Request(second));
        Assert.Equal(KeyAdmissionStatus.RateLimited, limited.Status);
        Assert.Equal(QuotaSubjects.Team(team.TeamId), limited.Quota!.RefusingSubject);

        await registry.UpdateKey(first with { Models = ["gpt-4o"], Blocked = true }, Admin);
        Assert.Equal(KeyAdmissionStatus.Blocked, (await admission.AdmitKey(AdmissionKeyTestData.Request(first))).Status);
        Assert.True(await database.ScalarAsync<bool>($"SELECT blocked FROM hotdash.keys WHERE token = '{first.Token}'"));

        var row = SpendOf(first, 0.25m, DateTimeOffset.UtcNow);
        Assert.Equal(1, await silo.Grains.Ledger().Write([row]));
        Assert.Equal(0, await silo.Grains.Ledger().Write([row]));
        Assert.Equal(0.25m, (await registry.GetKey(first.Token))!.Spend);
        Assert.Equal(0.25m, (await registry.GetTeam(team.TeamId))!.Spend);

        var deletion = await registry.DeleteTeams([team.TeamId], Admin);
        Assert.Equal(Sorted(first.Token, second.Token), Sorted([.. deletion.DeletedKeyTokens]));
        Assert.Null(await silo.Grains.KeyGrain(second).Get());
        Assert.Equal(KeyAdmissionStatus.UnknownKey, (await admission.AdmitKey(AdmissionKeyTestData.Request(second))).Status);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.keys"));
    }
}
