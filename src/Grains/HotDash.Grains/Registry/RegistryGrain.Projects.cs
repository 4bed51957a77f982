namespace HotDash.Grains.Registry;

// Projects and their API keys: the writes go to the store, and every project key a write touched is refreshed on its
// grain (read back from the store, or forgotten when deleted) before the call returns, as the key grains are.
public sealed partial class RegistryGrain
{
    public Task<ProjectDefinition?> GetProject(string projectId) => store.GetProjectAsync(projectId);

    public Task<ImmutableArray<ProjectDefinition>> ListProjects() => store.ListProjectsAsync();

    public Task<RegistryResult> CreateProject(ProjectDefinition project, AuditActor actor) => store.CreateProjectAsync(project, actor);

    // A project's name is not part of any cached key definition: nothing to refresh.
    public Task<RegistryResult> UpdateProject(ProjectDefinition project, AuditActor actor) => store.UpdateProjectAsync(project, actor);

    public async Task<RegistryDeletion> DeleteProjects(ImmutableArray<string> projectIds, AuditActor actor)
    {
        var deletion = await store.DeleteProjectsAsync(projectIds, actor);
        await ForgetProjectKeysAsync(deletion.DeletedKeyTokens);
        return deletion;
    }

    public Task<ProjectKeyDefinition?> GetProjectKey(string publicKey) => store.GetProjectKeyAsync(publicKey);

    public Task<ImmutableArray<ProjectKeyDefinition>> ListProjectKeys(string? projectId) => store.ListProjectKeysAsync(projectId);

    public async Task<RegistryResult> CreateProjectKey(ProjectKeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        var result = await store.CreateProjectKeyAsync(key, actor);
        if (result.IsOk)
        {
            await RefreshProjectKeyAsync(key.PublicKey);
        }
        return result;
    }

    public async Task<RegistryResult> ReplaceProjectKey(ProjectKeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        var result = await store.ReplaceProjectKeyAsync(key, actor);
        if (result.IsOk)
        {
            await RefreshProjectKeyAsync(key.PublicKey);
        }
        return result;
    }

    public async Task<RegistryDeletion> DeleteProjectKeys(ImmutableArray<string> publicKeys, AuditActor actor)
    {
        var deletion = await store.DeleteProjectKeysAsync(publicKeys, actor);
        await ForgetProjectKeysAsync(Union(deletion.Deleted, deletion.DeletedKeyTokens));
        return deletion;
    }

    private async Task RefreshProjectKeyAsync(string publicKey) =>
        await GrainFactory.GetGrain<IProjectKeyGrain>(publicKey).Refresh(await store.GetProjectKeyAsync(publicKey));

    private Task ForgetProjectKeysAsync(IEnumerable<string> publicKeys) =>
        Task.WhenAll(Distinct(publicKeys).Select(k => GrainFactory.GetGrain<IProjectKeyGrain>(k).Refresh(null)));
}
