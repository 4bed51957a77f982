using HotDash.Grains.Projects;
using HotDash.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static HotDash.Grains.Tests.Projects.ProjectsTestData;

namespace HotDash.Grains.Tests.Projects;

/// <summary>
/// Langfuse's headless init (<c>LANGFUSE_INIT_*</c>) in a real silo: the project and key pair exist once the silo has
/// started, a restart with the same variables writes nothing, a changed secret replaces the hash, malformed keys are
/// logged and skipped without stopping the silo, and no secret is ever logged.
/// </summary>
public sealed class ProjectsHeadlessInitTests(ITestOutputHelper output)
{
    private static readonly string Category = typeof(ProjectInit).FullName!;

    private static async Task<TestSilo> StartAsync(Dictionary<string, string?> variables, ProjectsLogRecorder log, string? database = null) =>
        await TestSilo.StartAsync(silo =>
        {
            silo.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(variables).Build());
            silo.Services.AddSingleton<ILoggerProvider>(log);
        }, database);

    private static Dictionary<string, string?> Variables(string projectId, string? name, string? publicKey, string? secretKey) => new()
    {
        [ProjectInitOptions.ProjectIdVariable] = projectId,
        [ProjectInitOptions.ProjectNameVariable] = name,
        [ProjectInitOptions.PublicKeyVariable] = publicKey,
        [ProjectInitOptions.SecretKeyVariable] = secretKey,
        ["LANGFUSE_INIT_ORG_ID"] = "org-1",
        ["LANGFUSE_INIT_USER_PASSWORD"] = "hunter2-password",
    };

    private static IRegistryGrain Registry(TestSilo silo) => silo.Grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    [Fact]
    public async Task HeadlessInit_PostgresAcrossRestarts_CreatesOnceReplacesAChangedSecretAndNeverLogsSecrets()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(output);
        if (database is null)
        {
            return;
        }
        var (publicKey, secret) = ProjectApiKeys.Generate();
        var log = new ProjectsLogRecorder();
        var variables = Variables("hd-init", "Provisioned", publicKey, secret);

        await using (var first = await StartAsync(variables, log, database.ConnectionString))
        {
            var key = await first.Grains.ProjectKeyGrain(publicKey).Get();
            Assert.NotNull(key);
            Assert.True(ProjectApiKeys.SecretMatches(key, secret));
            Assert.Equal(("hd-init", "Provisioned"), (key.ProjectId, (await Registry(first).GetProject("hd-init"))!.Name));
        }
        var audited = await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log");
        Assert.Equal(2, audited);
        Assert.Equal("langfuse-headless-init", await database.ScalarAsync<string>("SELECT DISTINCT changed_by FROM hotdash.audit_log"));

        await using (var again = await StartAsync(variables, log, database.ConnectionString))
        {
            Assert.True(ProjectApiKeys.SecretMatches((await Registry(again).GetProjectKey(publicKey))!, secret));
        }
        Assert.Equal(audited, await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log"));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.project_api_keys"));

        var rotated = ProjectApiKeys.Generate().SecretKey;
        await using (var changed = await StartAsync(Variables("hd-init", "Provisioned", publicKey, rotated), log, database.ConnectionString))
        {
            var key = (await changed.Grains.ProjectKeyGrain(publicKey).Get())!;
            Assert.True(ProjectApiKeys.SecretMatches(key, rotated));
            Assert.False(ProjectApiKeys.SecretMatches(key, secret));
        }
        Assert.Equal(ProjectApiKeys.HashSecret(rotated), await database.ScalarAsync<string>("SELECT secret_hash FROM hotdash.project_api_keys"));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log WHERE action = 'rotated'"));

        var entries = log.Entries;
        Assert.DoesNotContain(entries, e => e.Text.Contains(secret, StringComparison.Ordinal) || e.Text.Contains(rotated, StringComparison.Ordinal)
            || e.Text.Contains("hunter2", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Category == Category && e.Text.Contains("LANGFUSE_INIT_ORG_ID", StringComparison.Ordinal));
        Assert.Single(entries, e => e.Category == Category && e.Text.Contains("created for project hd-init", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HeadlessInit_MalformedKeys_LogsErrorsSkipsTheKeyAndStillEnsuresTheProject()
    {
        var log = new ProjectsLogRecorder();
        var projectId = TestData.UniqueId("init");

        await using var silo = await StartAsync(Variables(projectId, "Named", "pub-not-langfuse", "sk-not-lf-secret"), log);

        Assert.Equal("Named", (await Registry(silo).GetProject(projectId))?.Name);
        Assert.Empty(await Registry(silo).ListProjectKeys(projectId));
        var errors = log.Entries.Where(e => e.Category == Category && e.Level == LogLevel.Error).Select(e => e.Text).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains(ProjectInitOptions.PublicKeyVariable, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(ProjectInitOptions.SecretKeyVariable, StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, e => e.Text.Contains("sk-not-lf-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HeadlessInit_EmbeddedRegistryWithDefaults_PutsTheKeyPairOnTheDefaultProject()
    {
        var log = new ProjectsLogRecorder();
        var (publicKey, secret) = ProjectApiKeys.Generate();
        var variables = new Dictionary<string, string?>
        {
            [ProjectInitOptions.PublicKeyVariable] = publicKey,
            [ProjectInitOptions.SecretKeyVariable] = secret,
        };

        await using var silo = await StartAsync(variables, log);

        var key = await silo.Grains.ProjectKeyGrain(publicKey).Get();
        Assert.Equal(DefaultProject.Id, key?.ProjectId);
        Assert.True(ProjectApiKeys.SecretMatches(key!, secret));
        Assert.Equal(ProjectInit.ProvisionedNote, key!.Note);
        Assert.Equal(DefaultProject.Name, (await Registry(silo).GetProject(DefaultProject.Id))!.Name);
    }

    [Fact]
    public async Task HeadlessInit_OnlyThePublicKeySet_WarnsAndCreatesNoKey()
    {
        var log = new ProjectsLogRecorder();
        var publicKey = ProjectApiKeys.Generate().PublicKey;

        await using var silo = await StartAsync(new() { [ProjectInitOptions.PublicKeyVariable] = publicKey }, log);

        Assert.Null(await Registry(silo).GetProjectKey(publicKey));
        Assert.Contains(log.Entries, e => e.Category == Category && e.Level == LogLevel.Warning
            && e.Text.Contains(ProjectInitOptions.SecretKeyVariable, StringComparison.Ordinal));
    }
}
