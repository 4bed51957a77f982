using HotDash.Registry;

namespace HotDash.Grains.Registry;

// Langfuse projects and their API keys in the embedded registry: the PostgreSQL store's checks and wording (unknown
// project, id taken, public key or secret taken), the default project always present, a project's keys deleted with it.
public sealed partial class RegistryStateGrain
{
    public Task<ProjectDefinition?> GetProject(string projectId) =>
        Task.FromResult(projectId is not null && S.Projects.TryGetValue(projectId, out var project) ? project : null);

    public Task<ImmutableArray<ProjectDefinition>> ListProjects() =>
        Task.FromResult<ImmutableArray<ProjectDefinition>>([.. S.Projects.Values.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal)]);

    public async Task<RegistryResult> CreateProject(ProjectDefinition project, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (RegistryChecks.Project(project) is { } invalid)
        {
            return invalid;
        }
        if (S.Projects.ContainsKey(project.Id))
        {
            return RegistryResult.Invalid("project_id", $"project_id '{project.Id}' already exists");
        }
        S.Projects[project.Id] = project.CreatedAt == default ? project with { CreatedAt = time.GetUtcNow() } : project;
        await CommitAsync("project create");
        return RegistryResult.Ok;
    }

    public async Task<RegistryResult> UpdateProject(ProjectDefinition project, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (RegistryChecks.Project(project) is { } invalid)
        {
            return invalid;
        }
        if (!S.Projects.TryGetValue(project.Id, out var existing))
        {
            return RegistryResult.NotFound("project_id", $"project_id '{project.Id}' does not exist");
        }
        if (existing.Name != project.Name)
        {
            S.Projects[project.Id] = existing with { Name = project.Name };
            await CommitAsync("project update");
        }
        return RegistryResult.Ok;
    }

    public async Task<RegistryDeletion> DeleteProjects(ImmutableArray<string> projectIds, AuditActor actor)
    {
        var deleted = ImmutableArray.CreateBuilder<string>();
        var keys = ImmutableArray.CreateBuilder<string>();
        foreach (var id in Ids(projectIds).Where(id => id != DefaultProject.Id))
        {
            if (!S.Projects.Remove(id))
            {
                continue;
            }
            deleted.Add(id);
            var owned = S.ProjectKeys.Values.Where(k => k.ProjectId == id).Select(k => k.PublicKey).Order(StringComparer.Ordinal).ToList();
            foreach (var publicKey in owned)
            {
                S.ProjectKeys.Remove(publicKey);
            }
            keys.AddRange(owned);
        }
        if (deleted.Count > 0)
        {
            await CommitAsync("project delete");
        }
        return new RegistryDeletion(deleted.ToImmutable(), keys.ToImmutable());
    }

    public Task<ProjectKeyDefinition?> GetProjectKey(string publicKey) =>
        Task.FromResult(publicKey is not null && S.ProjectKeys.TryGetValue(publicKey, out var key) ? key : null);

    public Task<ImmutableArray<ProjectKeyDefinition>> ListProjectKeys(string? projectId) =>
        Task.FromResult<ImmutableArray<ProjectKeyDefinition>>([.. S.ProjectKeys.Values
            .Where(k => projectId is null || k.ProjectId == projectId)
            .OrderBy(k => k.CreatedAt)
            .ThenBy(k => k.PublicKey, StringComparer.Ordinal)]);

    public async Task<RegistryResult> CreateProjectKey(ProjectKeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (CheckProjectKey(key) is { } refusal)
        {
            return refusal;
        }
        if (S.ProjectKeys.ContainsKey(key.PublicKey))
        {
            return RegistryResult.Invalid("public_key", $"public_key '{key.PublicKey}' already exists");
        }
        S.ProjectKeys[key.PublicKey] = key.CreatedAt == default ? key with { CreatedAt = time.GetUtcNow() } : key;
        await CommitAsync("project key create");
        return RegistryResult.Ok;
    }

    public async Task<RegistryResult> ReplaceProjectKey(ProjectKeyDefinition key, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (RegistryChecks.ProjectKey(key) is { } invalid)
        {
            return invalid;
        }
        if (!S.ProjectKeys.TryGetValue(key.PublicKey, out var existing))
        {
            return RegistryResult.NotFound("public_key", $"public_key '{key.PublicKey}' does not exist");
        }
        if (CheckProjectKey(key) is { } refusal)
        {
            return refusal;
        }
        var replaced = key with { CreatedAt = existing.CreatedAt };
        if (replaced != existing)
        {
            S.ProjectKeys[key.PublicKey] = replaced;
            await CommitAsync("project key replace");
        }
        return RegistryResult.Ok;
    }

    public async Task<RegistryDeletion> DeleteProjectKeys(ImmutableArray<string> publicKeys, AuditActor actor)
    {
        var deleted = ImmutableArray.CreateBuilder<string>();
        foreach (var publicKey in Ids(publicKeys))
        {
            if (S.ProjectKeys.Remove(publicKey))
            {
                deleted.Add(publicKey);
            }
        }
        if (deleted.Count > 0)
        {
            await CommitAsync("project key delete");
        }
        var result = deleted.ToImmutable();
        return new RegistryDeletion(result, result);
    }

    // The PostgreSQL store's checks, in its order: the definition, the project, the secret (a replace names a missing key first).
    private RegistryResult? CheckProjectKey(ProjectKeyDefinition key)
    {
        if (RegistryChecks.ProjectKey(key) is { } invalid)
        {
            return invalid;
        }
        if (!S.Projects.ContainsKey(key.ProjectId))
        {
            return RegistryResult.Invalid("project_id", $"project_id '{key.ProjectId}' does not exist");
        }
        if (S.ProjectKeys.Values.Any(k => k.PublicKey != key.PublicKey && k.SecretHash == key.SecretHash))
        {
            return RegistryResult.Invalid("secret_key", "this secret key is already used by another key");
        }
        return null;
    }

    // The project every installation has (PostgreSQL's migration inserts it). Kept in memory from the first activation
    // and stored with the next write; a snapshot from before projects existed gets it the same way.
    private void EnsureDefaultProject()
    {
        if (!S.Projects.ContainsKey(DefaultProject.Id))
        {
            S.Projects[DefaultProject.Id] = new ProjectDefinition(DefaultProject.Id, DefaultProject.Name, time.GetUtcNow());
        }
    }
}
