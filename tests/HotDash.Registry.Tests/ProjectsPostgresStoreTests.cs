namespace HotDash.Registry.Tests;

/// <summary>
/// Langfuse projects and their API keys in the PostgreSQL registry (migration 2): round trips, audit rows with the
/// secret's hash only, refusals naming the field that write nothing, replace, delete with cascade, racing writers.
/// </summary>
public sealed class ProjectsPostgresStoreTests(ITestOutputHelper output) : RegistryStoreTestBase(output)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);

    private static ProjectDefinition Project(string id, string? name = null) => new(id, name ?? $"Project {id}", default);

    private static (string Secret, ProjectKeyDefinition Key) NewKey(string projectId, string? note = null)
    {
        var (publicKey, secret) = ProjectApiKeys.Generate();
        return (secret, ProjectApiKeys.Define(publicKey, secret, projectId, note, default));
    }

    // Every row of the two project tables and the audit log: the same before and after means nothing was written.
    private Task<string> ProjectStateAsync() => Db.ScalarAsync<string>("""
        SELECT concat_ws(E'\n#\n',
            (SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM hotdash.projects t),
            (SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM hotdash.project_api_keys t),
            (SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM hotdash.audit_log t),
            (SELECT count(*)::text FROM hotdash.audit_log))
        """);

    [Fact]
    public async Task Migration_FreshDatabase_HasTheDefaultProjectAndNoAuditRows()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        var projects = await store.ListProjectsAsync();

        var only = Assert.Single(projects);
        Assert.Equal((DefaultProject.Id, DefaultProject.Name), (only.Id, only.Name));
        Assert.Equal(only, await store.GetProjectAsync(DefaultProject.Id));
        Assert.Empty(await store.ListProjectKeysAsync(null));
        Assert.Equal(0, await CountAsync("audit_log"));
        Assert.Equal("2:projects", await Db.ScalarAsync<string>("SELECT version || ':' || name FROM hotdash.schema_migrations WHERE version = 2"));
    }

    [Fact]
    public async Task Migration_RunAgain_KeepsProjectsAndKeys()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateProjectAsync(Project("p-again"), Admin);
        var (_, key) = NewKey("p-again");
        await store.CreateProjectKeyAsync(key, Admin);

        // And migration 2's own statements once more, as a half-applied run retried by hand would.
        var again = await new RegistryMigrator(Registry(), Log<RegistryMigrator>()).MigrateAsync(CancellationToken.None);
        await ExecuteAsync(RegistryMigrations.All.Single(m => m.Version == 2).Sql);

        Assert.Empty(again.Applied);
        Assert.Equal(2, (await store.ListProjectsAsync()).Length);
        Assert.Equal(key.SecretHash, (await store.GetProjectKeyAsync(key.PublicKey))!.SecretHash);
    }

    [Fact]
    public async Task CreateProjectAsync_NewId_ReadsBackAndIsAudited()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        var result = await store.CreateProjectAsync(Project("p1", "Checkout"), Admin);

        Assert.Equal(RegistryResult.Ok, result);
        Assert.Equal(new ProjectDefinition("p1", "Checkout", Clock.Now), await store.GetProjectAsync("p1"));
        Assert.Equal(["default", "p1"], (await store.ListProjectsAsync()).Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["created projects p1"], await AuditAsync());
        Assert.Equal(Admin.ChangedBy, await Db.ScalarAsync<string>("SELECT changed_by FROM hotdash.audit_log"));
        Assert.Equal("Checkout", await Db.ScalarAsync<string>("SELECT updated_values ->> 'name' FROM hotdash.audit_log"));
    }

    [Fact]
    public async Task CreateProjectAsync_IdTakenOrEmptyName_RefusedNamingTheFieldAndNothingWritten()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateProjectAsync(Project("taken"), Admin);
        var before = await ProjectStateAsync();

        var taken = await store.CreateProjectAsync(Project("taken", "Other"), Admin);
        var defaultTaken = await store.CreateProjectAsync(Project(DefaultProject.Id), Admin);
        var noName = await store.CreateProjectAsync(Project("fresh", " "), Admin);
        var noId = await store.CreateProjectAsync(Project(""), Admin);

        Assert.Equal(RegistryResult.Invalid("project_id", "project_id 'taken' already exists"), taken);
        Assert.Equal(("project_id", 400), (defaultTaken.Param, defaultTaken.Status));
        Assert.Equal(("name", 400), (noName.Param, noName.Status));
        Assert.Equal(("project_id", 400), (noId.Param, noId.Status));
        Assert.Equal(before, await ProjectStateAsync());
    }

    [Fact]
    public async Task UpdateProjectAsync_NewName_RenamesOnceAndAnUnchangedNameWritesNothing()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateProjectAsync(Project("p1", "Old"), Admin);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var renamed = await store.UpdateProjectAsync(Project("p1", "New"), Admin);
        var unchanged = await store.UpdateProjectAsync(Project("p1", "New"), Admin);
        var missing = await store.UpdateProjectAsync(Project("nope", "X"), Admin);

        Assert.Equal(RegistryResult.Ok, renamed);
        Assert.Equal(RegistryResult.Ok, unchanged);
        Assert.Equal(("project_id", 404), (missing.Param, missing.Status));
        var read = await store.GetProjectAsync("p1");
        Assert.Equal("New", read!.Name);
        Assert.Equal(Start, read.CreatedAt);
        Assert.Equal(["created projects p1", "updated projects p1"], await AuditAsync());
        Assert.Equal("Old|New", await Db.ScalarAsync<string>(
            "SELECT (before_value ->> 'name') || '|' || (updated_values ->> 'name') FROM hotdash.audit_log WHERE action = 'updated'"));
    }

    [Fact]
    public async Task CreateProjectKeyAsync_NewKey_ReadsBackAndStoresOnlyTheSecretsHash()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateProjectAsync(Project("p1"), Admin);
        var (secret, key) = NewKey("p1", note: "ci");

        var result = await store.CreateProjectKeyAsync(key, Admin);
        var read = await store.GetProjectKeyAsync(key.PublicKey);

        Assert.Equal(RegistryResult.Ok, result);
        Assert.Equal(key with { CreatedAt = Clock.Now }, read);
        Assert.Equal(ProjectApiKeys.HashSecret(secret), read!.SecretHash);
        Assert.Equal("sk-lf-..." + secret[^4..], read.DisplaySecretKey);
        Assert.True(ProjectApiKeys.SecretMatches(read, secret));
        Assert.Equal(["created projects p1", $"created project_api_keys {key.PublicKey}"], await AuditAsync());
        Assert.Equal(key.SecretHash, await Db.ScalarAsync<string>("SELECT updated_values ->> 'secret_hash' FROM hotdash.audit_log WHERE table_name = 'project_api_keys'"));
        Assert.Equal(0, await Db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.audit_log a WHERE a::text LIKE '%{secret}%'"));
        Assert.Equal(0, await Db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.project_api_keys k WHERE k::text LIKE '%{secret}%'"));
    }

    [Fact]
    public async Task ListProjectKeysAsync_TwoProjects_FiltersByProjectOldestFirst()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateProjectAsync(Project("a"), Admin);
        await store.CreateProjectAsync(Project("b"), Admin);
        var (_, a1) = NewKey("a");
        var (_, b1) = NewKey("b");
        var (_, a2) = NewKey("a");
        foreach (var key in new[] { a1, b1, a2 })
        {
            Assert.Equal(RegistryResult.Ok, await store.CreateProjectKeyAsync(key, Admin));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([a1.PublicKey, a2.PublicKey], (await store.ListProjectKeysAsync("a")).Select(k => k.PublicKey));
        Assert.Equal([a1.PublicKey, b1.PublicKey, a2.PublicKey], (await store.ListProjectKeysAsync(null)).Select(k => k.PublicKey));
        Assert.Empty(await store.ListProjectKeysAsync("none"));
        Assert.Null(await store.GetProjectKeyAsync("pk-lf-none"));
    }

    [Fact]
    public async Task CreateProjectKeyAsync_Refusals_NameTheFieldAndWriteNothing()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var (secret, existing) = NewKey(DefaultProject.Id);
        await store.CreateProjectKeyAsync(existing, Admin);
        var before = await ProjectStateAsync();
        var (_, other) = NewKey(DefaultProject.Id);

        var unknownProject = await store.CreateProjectKeyAsync(other with { ProjectId = "nope" }, Admin);
        var publicTaken = await store.CreateProjectKeyAsync(other with { PublicKey = existing.PublicKey }, Admin);
        var secretTaken = await store.CreateProjectKeyAsync(other with { SecretHash = existing.SecretHash }, Admin);
        var notPublic = await store.CreateProjectKeyAsync(other with { PublicKey = "pk-123" }, Admin);
        var rawSecret = await store.CreateProjectKeyAsync(other with { SecretHash = secret }, Admin);

        Assert.Equal(RegistryResult.Invalid("project_id", "project_id 'nope' does not exist"), unknownProject);
        Assert.Equal(RegistryResult.Invalid("public_key", $"public_key '{existing.PublicKey}' already exists"), publicTaken);
        Assert.Equal(("secret_key", 400), (secretTaken.Param, secretTaken.Status));
        Assert.Equal(("public_key", 400), (notPublic.Param, notPublic.Status));
        Assert.Equal(("secret_key", 400), (rawSecret.Param, rawSecret.Status));
        Assert.Equal(before, await ProjectStateAsync());
    }

    [Fact]
    public async Task ReplaceProjectKeyAsync_NewSecret_ReplacesTheHashKeepsCreatedAtAndAuditsARotation()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateProjectAsync(Project("p2"), Admin);
        var (oldSecret, key) = NewKey(DefaultProject.Id, note: "first");
        await store.CreateProjectKeyAsync(key, Admin);
        Clock.Advance(TimeSpan.FromHours(1));
        var newSecret = ProjectApiKeys.Generate().SecretKey;
        var replacement = ProjectApiKeys.Define(key.PublicKey, newSecret, "p2", "second", default);

        var replaced = await store.ReplaceProjectKeyAsync(replacement, Admin);
        var again = await store.ReplaceProjectKeyAsync(replacement, Admin);
        var missing = await store.ReplaceProjectKeyAsync(replacement with { PublicKey = "pk-lf-missing" }, Admin);
        var unknownProject = await store.ReplaceProjectKeyAsync(replacement with { ProjectId = "nope" }, Admin);

        Assert.Equal(RegistryResult.Ok, replaced);
        Assert.Equal(RegistryResult.Ok, again);
        Assert.Equal(("public_key", 404), (missing.Param, missing.Status));
        Assert.Equal(("project_id", 400), (unknownProject.Param, unknownProject.Status));
        var read = await store.GetProjectKeyAsync(key.PublicKey);
        Assert.Equal(replacement with { CreatedAt = Start }, read);
        Assert.False(ProjectApiKeys.SecretMatches(read!, oldSecret));
        Assert.True(ProjectApiKeys.SecretMatches(read!, newSecret));
        Assert.Equal(["created projects p2", $"created project_api_keys {key.PublicKey}", $"rotated project_api_keys {key.PublicKey}"], await AuditAsync());
        Assert.Equal($"{key.SecretHash}|{replacement.SecretHash}", await Db.ScalarAsync<string>(
            "SELECT (before_value ->> 'secret_hash') || '|' || (updated_values ->> 'secret_hash') FROM hotdash.audit_log WHERE action = 'rotated'"));
    }

    [Fact]
    public async Task ReplaceProjectKeyAsync_SameSecretNewNote_AuditsAnUpdate()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var (_, key) = NewKey(DefaultProject.Id, note: "first");
        await store.CreateProjectKeyAsync(key, Admin);

        await store.ReplaceProjectKeyAsync(key with { Note = "second" }, Admin);

        Assert.Equal("second", (await store.GetProjectKeyAsync(key.PublicKey))!.Note);
        Assert.Equal($"updated project_api_keys {key.PublicKey}", (await AuditAsync())[^1]);
    }

    [Fact]
    public async Task DeleteProjectsAsync_ProjectWithKeys_DeletesBothAuditsEachRowAndNeverTheDefault()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateProjectAsync(Project("gone"), Admin);
        var (_, k1) = NewKey("gone");
        var (_, k2) = NewKey("gone");
        var (_, kept) = NewKey(DefaultProject.Id);
        foreach (var key in new[] { k1, k2, kept })
        {
            await store.CreateProjectKeyAsync(key, Admin);
        }

        var deletion = await store.DeleteProjectsAsync(["gone", DefaultProject.Id, "never-was", "gone"], Admin);

        Assert.Equal(["gone"], deletion.Deleted.ToArray());
        Assert.Equal(new[] { k1.PublicKey, k2.PublicKey }.Order(StringComparer.Ordinal), deletion.DeletedKeyTokens.Order(StringComparer.Ordinal));
        Assert.Null(await store.GetProjectAsync("gone"));
        Assert.NotNull(await store.GetProjectAsync(DefaultProject.Id));
        Assert.Equal([kept.PublicKey], (await store.ListProjectKeysAsync(null)).Select(k => k.PublicKey));
        Assert.Equal(2, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log WHERE action = 'deleted' AND table_name = 'project_api_keys'"));
        Assert.Equal(1, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log WHERE action = 'deleted' AND table_name = 'projects' AND object_id = 'gone'"));
        Assert.Empty((await store.DeleteProjectsAsync([DefaultProject.Id], Admin)).Deleted);
    }

    [Fact]
    public async Task DeleteProjectKeysAsync_SomeExist_DeletesThoseAndAnswersThem()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var (_, key) = NewKey(DefaultProject.Id);
        var (_, other) = NewKey(DefaultProject.Id);
        await store.CreateProjectKeyAsync(key, Admin);
        await store.CreateProjectKeyAsync(other, Admin);

        var deletion = await store.DeleteProjectKeysAsync([key.PublicKey, "pk-lf-unknown", key.PublicKey], Admin);
        var none = await store.DeleteProjectKeysAsync([], Admin);

        Assert.Equal([key.PublicKey], deletion.Deleted.ToArray());
        Assert.Equal([key.PublicKey], deletion.DeletedKeyTokens.ToArray());
        Assert.Empty(none.Deleted);
        Assert.Null(await store.GetProjectKeyAsync(key.PublicKey));
        Assert.NotNull(await store.GetProjectKeyAsync(other.PublicKey));
        Assert.Equal($"deleted project_api_keys {key.PublicKey}", (await AuditAsync())[^1]);
    }

    [Fact]
    public async Task CreateProjectKeyAsync_SamePublicKeyFromSixWriters_OneWinsAndTheOthersAreRefusedByName()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var stores = Enumerable.Range(0, 6).Select(_ => NewStore(Registry())).ToArray();
        var publicKey = ProjectApiKeys.Generate().PublicKey;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = stores.Select(s => Task.Run(async () =>
        {
            await go.Task;
            return await s.CreateProjectKeyAsync(NewKey(DefaultProject.Id).Key with { PublicKey = publicKey }, Admin);
        })).ToArray();

        go.SetResult();
        var results = await Task.WhenAll(attempts).WaitAsync(HangGuard);

        Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(("public_key", 400), (r.Param, r.Status)));
        Assert.Equal(1, await CountAsync("project_api_keys"));
        Assert.Equal(1, await CountAsync("audit_log"));
    }

    [Fact]
    public async Task CreateProjectKeyAsync_RacingTheProjectsDeletion_LeavesNoKeyWithoutItsProject()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        for (var round = 0; round < 5; round++)
        {
            var projectId = $"race-{round}";
            await store.CreateProjectAsync(Project(projectId), Admin);
            var writer = NewStore(Registry());
            var deleter = NewStore(Registry());
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var create = Task.Run(async () =>
            {
                await go.Task;
                return await writer.CreateProjectKeyAsync(NewKey(projectId).Key, Admin);
            });
            var delete = Task.Run(async () =>
            {
                await go.Task;
                return await deleter.DeleteProjectsAsync([projectId], Admin);
            });

            go.SetResult();
            var (created, deleted) = (await create.WaitAsync(HangGuard), await delete.WaitAsync(HangGuard));

            Assert.Equal([projectId], deleted.Deleted.ToArray());
            Assert.True(created.IsOk || created.Param == "project_id", $"{created}");
            Assert.Equal(0, await Db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.project_api_keys WHERE project_id = '{projectId}'"));
        }
    }
}
