using HotDash.Grains.Tests.Registry;
using static HotDash.Grains.Tests.Projects.ProjectsTestData;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Projects;

/// <summary>
/// Projects and their API keys in the embedded registry (no database), through the registry grain: the PostgreSQL
/// store's answers (refusals naming the field, nothing written), the default project, deletion with the keys.
/// </summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class ProjectsEmbeddedRegistryTests(RegistryClusterFixture fixture)
{
    private IRegistryGrain Registry => fixture.Grains.Registry();

    [Fact]
    public async Task GetProject_Default_AlwaysThereAndNeverDeleted()
    {
        var deletion = await Registry.DeleteProjects([DefaultProject.Id], Admin);

        var project = await Registry.GetProject(DefaultProject.Id);

        Assert.Empty(deletion.Deleted);
        Assert.Equal(DefaultProject.Name, project?.Name);
        Assert.Contains(await Registry.ListProjects(), p => p.Id == DefaultProject.Id);
    }

    [Fact]
    public async Task CreateProject_NewId_ListedWithTheRegistrysClockAndRefusedTheSecondTime()
    {
        var project = Project("Checkout");

        var created = await Registry.CreateProject(project, Admin);
        var again = await Registry.CreateProject(project with { Name = "Other" }, Admin);
        var noName = await Registry.CreateProject(Project(" "), Admin);

        Assert.Equal(RegistryResult.Ok, created);
        Assert.Equal(RegistryResult.Invalid("project_id", $"project_id '{project.Id}' already exists"), again);
        Assert.Equal(("name", 400), (noName.Param, noName.Status));
        Assert.Equal(project with { CreatedAt = fixture.Time.GetUtcNow() }, await Registry.GetProject(project.Id));
        Assert.Contains(await Registry.ListProjects(), p => p.Id == project.Id && p.Name == "Checkout");
    }

    [Fact]
    public async Task UpdateProject_ExistingAndMissing_RenamesOrAnswers404()
    {
        var project = Project("Old");
        await Registry.CreateProject(project, Admin);

        var renamed = await Registry.UpdateProject(project with { Name = "New" }, Admin);
        var missing = await Registry.UpdateProject(Project("X"), Admin);

        Assert.Equal(RegistryResult.Ok, renamed);
        Assert.Equal(("project_id", 404), (missing.Param, missing.Status));
        Assert.Equal("New", (await Registry.GetProject(project.Id))!.Name);
    }

    [Fact]
    public async Task CreateProjectKey_Refusals_NameTheFieldAndWriteNothing()
    {
        var project = Project();
        await Registry.CreateProject(project, Admin);
        var (_, existing) = NewProjectKey(project.Id);
        Assert.Equal(RegistryResult.Ok, await Registry.CreateProjectKey(existing, Admin));
        var (_, other) = NewProjectKey(project.Id);

        var unknownProject = await Registry.CreateProjectKey(other with { ProjectId = TestData.UniqueId("none") }, Admin);
        var publicTaken = await Registry.CreateProjectKey(other with { PublicKey = existing.PublicKey }, Admin);
        var secretTaken = await Registry.CreateProjectKey(other with { SecretHash = existing.SecretHash }, Admin);
        var notPublic = await Registry.CreateProjectKey(other with { PublicKey = "pk-123" }, Admin);
        var notAHash = await Registry.CreateProjectKey(other with { SecretHash = "sk-lf-raw" }, Admin);

        Assert.Equal(("project_id", 400), (unknownProject.Param, unknownProject.Status));
        Assert.Equal(RegistryResult.Invalid("public_key", $"public_key '{existing.PublicKey}' already exists"), publicTaken);
        Assert.Equal(("secret_key", 400), (secretTaken.Param, secretTaken.Status));
        Assert.Equal(("public_key", 400), (notPublic.Param, notPublic.Status));
        Assert.Equal(("secret_key", 400), (notAHash.Param, notAHash.Status));
        Assert.Equal([existing.PublicKey], (await Registry.ListProjectKeys(project.Id)).Select(k => k.PublicKey));
        Assert.Equal(existing.SecretHash, (await Registry.GetProjectKey(existing.PublicKey))!.SecretHash);
    }

    [Fact]
    public async Task ReplaceProjectKey_NewSecret_KeepsCreatedAtAndTheOldSecretStopsMatching()
    {
        var project = Project();
        await Registry.CreateProject(project, Admin);
        var (oldSecret, key) = NewProjectKey(DefaultProject.Id, note: "first");
        await Registry.CreateProjectKey(key, Admin);
        var createdAt = (await Registry.GetProjectKey(key.PublicKey))!.CreatedAt;
        var newSecret = ProjectApiKeys.Generate().SecretKey;

        var replaced = await Registry.ReplaceProjectKey(ProjectApiKeys.Define(key.PublicKey, newSecret, project.Id, "moved", default), Admin);
        var missing = await Registry.ReplaceProjectKey(NewProjectKey(project.Id).Key, Admin);

        Assert.Equal(RegistryResult.Ok, replaced);
        Assert.Equal(("public_key", 404), (missing.Param, missing.Status));
        var read = (await Registry.GetProjectKey(key.PublicKey))!;
        Assert.Equal((project.Id, "moved", createdAt), (read.ProjectId, read.Note, read.CreatedAt));
        Assert.True(ProjectApiKeys.SecretMatches(read, newSecret));
        Assert.False(ProjectApiKeys.SecretMatches(read, oldSecret));
    }

    [Fact]
    public async Task DeleteProjects_ProjectWithKeys_DeletesItsKeysAndAnswersThem()
    {
        var project = Project();
        await Registry.CreateProject(project, Admin);
        var (_, k1) = NewProjectKey(project.Id);
        var (_, k2) = NewProjectKey(project.Id);
        var (_, kept) = NewProjectKey(DefaultProject.Id);
        foreach (var key in new[] { k1, k2, kept })
        {
            Assert.Equal(RegistryResult.Ok, await Registry.CreateProjectKey(key, Admin));
        }

        var deletion = await Registry.DeleteProjects([project.Id, TestData.UniqueId("never")], Admin);

        Assert.Equal([project.Id], deletion.Deleted.ToArray());
        Assert.Equal(Sorted(k1.PublicKey, k2.PublicKey), Sorted([.. deletion.DeletedKeyTokens]));
        Assert.Null(await Registry.GetProject(project.Id));
        Assert.Empty(await Registry.ListProjectKeys(project.Id));
        Assert.NotNull(await Registry.GetProjectKey(kept.PublicKey));
    }

    [Fact]
    public async Task DeleteProjectKeys_SomeExist_AnswersThoseThatExisted()
    {
        var (_, key) = NewProjectKey(DefaultProject.Id);
        await Registry.CreateProjectKey(key, Admin);

        var deletion = await Registry.DeleteProjectKeys([key.PublicKey, "pk-lf-unknown"], Admin);

        Assert.Equal([key.PublicKey], deletion.Deleted.ToArray());
        Assert.Null(await Registry.GetProjectKey(key.PublicKey));
    }
}
