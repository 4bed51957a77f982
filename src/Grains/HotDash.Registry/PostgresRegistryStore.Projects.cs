using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Registry;

// Langfuse projects and their API keys (migration 2): the same write rules as the rest of the store (one transaction,
// checks first, an audit row per row changed, refusals naming the field). Lock order for these two tables: projects
// before project_api_keys, by primary key; neither is touched by the ledger, so they sit outside its order.
public sealed partial class PostgresRegistryStore
{
    private const string SelectProject = "SELECT " + RegistryRows.ProjectColumns + " FROM projects WHERE id = @v";
    private const string SelectProjects = "SELECT " + RegistryRows.ProjectColumns + " FROM projects ORDER BY created_at, id COLLATE \"C\"";
    private const string SelectProjectKey = "SELECT " + RegistryRows.ProjectKeyColumns + " FROM project_api_keys WHERE public_key = @v";
    private const string SelectProjectKeys = "SELECT " + RegistryRows.ProjectKeyColumns + """
         FROM project_api_keys
        WHERE @project_id::text IS NULL OR project_id = @project_id
        ORDER BY created_at, public_key COLLATE "C"
        """;

    private const string ProjectExists = "SELECT 1 FROM projects WHERE id = @v";
    // A key write holds its project so that a concurrent project deletion waits for it (and then deletes the key too).
    private const string HoldProject = "SELECT 1 FROM projects WHERE id = @v FOR KEY SHARE";
    private const string ProjectKeyExists = "SELECT 1 FROM project_api_keys WHERE public_key = @v";
    private const string SecretTaken = "SELECT 1 FROM project_api_keys WHERE secret_hash = @v AND public_key <> @v2";

    private const string LockProject = "SELECT to_jsonb(p)::text FROM projects p WHERE p.id = @id FOR NO KEY UPDATE";
    // secret_hash is unique (a key column): the strong lock.
    private const string LockProjectKey = "SELECT to_jsonb(k)::text FROM project_api_keys k WHERE k.public_key = @id FOR UPDATE";

    private const string InsertProject = """
        WITH n AS (
            INSERT INTO projects (id, name, created_at) VALUES (@id, @name, @created_at)
            RETURNING *)
        """ + Audit + " 'created', 'projects', n.id, NULL, to_jsonb(n) FROM n";

    // An unchanged name writes nothing, not even audit (the headless init ensures its project on every start).
    private const string UpdateProject = """
        WITH n AS (
            UPDATE projects SET name = @name WHERE id = @id AND name IS DISTINCT FROM @name
            RETURNING *)
        """ + Audit + " 'updated', 'projects', n.id, @before, to_jsonb(n) FROM n";

    private const string InsertProjectKey = """
        WITH n AS (
            INSERT INTO project_api_keys (public_key, secret_hash, display_secret_key, project_id, note, created_at)
            VALUES (@public_key, @secret_hash, @display_secret_key, @project_id, @note, @created_at)
            RETURNING *)
        """ + Audit + " 'created', 'project_api_keys', n.public_key, NULL, to_jsonb(n) FROM n";

    // A new secret is a rotation (LiteLLM's audit word for a regenerated key); an unchanged key writes nothing.
    private const string ReplaceProjectKey = """
        WITH n AS (
            UPDATE project_api_keys SET secret_hash = @secret_hash, display_secret_key = @display_secret_key, project_id = @project_id, note = @note
            WHERE public_key = @public_key
              AND (secret_hash, display_secret_key, project_id, note) IS DISTINCT FROM (@secret_hash, @display_secret_key, @project_id, @note)
            RETURNING *)
        """ + Audit + """
         CASE WHEN (@before::jsonb ->> 'secret_hash') IS DISTINCT FROM n.secret_hash THEN 'rotated' ELSE 'updated' END,
               'project_api_keys', n.public_key, @before, to_jsonb(n) FROM n
        """;

    private const string LockProjectKeys = """SELECT 1 FROM project_api_keys WHERE public_key = ANY(@ids) ORDER BY public_key COLLATE "C" FOR UPDATE""";

    private const string DeleteProjectKeys = "WITH d AS (DELETE FROM project_api_keys WHERE public_key = ANY(@ids) RETURNING *)\n" + Audit +
        """ 'deleted', 'project_api_keys', d.public_key, to_jsonb(d), NULL FROM d ORDER BY d.public_key COLLATE "C" RETURNING object_id""";

    private const string LockProjects = """SELECT 1 FROM projects WHERE id = ANY(@ids) ORDER BY id COLLATE "C" FOR UPDATE""";

    private const string LockKeysOfProjects = """SELECT 1 FROM project_api_keys WHERE project_id = ANY(@ids) ORDER BY public_key COLLATE "C" FOR UPDATE""";

    // The keys explicitly (not by the foreign key's cascade), so each gets its audit row.
    private const string DeleteKeysOfProjects = "WITH d AS (DELETE FROM project_api_keys WHERE project_id = ANY(@ids) RETURNING *)\n" + Audit +
        """ 'deleted', 'project_api_keys', d.public_key, to_jsonb(d), NULL FROM d ORDER BY d.public_key COLLATE "C" RETURNING object_id""";

    private const string DeleteProjects = "WITH d AS (DELETE FROM projects WHERE id = ANY(@ids) RETURNING *)\n" + Audit +
        """ 'deleted', 'projects', d.id, to_jsonb(d), NULL FROM d ORDER BY d.id COLLATE "C" RETURNING object_id""";

    /// <inheritdoc/>
    public Task<ProjectDefinition?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default) =>
        OneAsync(SelectProject, projectId, RegistryRows.ReadProject, cancellationToken);

    /// <inheritdoc/>
    public async Task<ImmutableArray<ProjectDefinition>> ListProjectsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand(SelectProjects);
        return await ManyAsync(command, RegistryRows.ReadProject, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> CreateProjectAsync(ProjectDefinition project, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (RegistryChecks.Project(project) is { } invalid)
        {
            return Refused("create project", project.Id, invalid);
        }
        return WriteAsync("create project", project.Id, actor, async w =>
        {
            if (await w.ExistsAsync(ProjectExists, project.Id))
            {
                return RegistryResult.Invalid("project_id", $"project_id '{project.Id}' already exists");
            }
            await using var command = w.Command(InsertProject);
            RegistryParameters.AddText(command, "id", project.Id);
            RegistryParameters.AddText(command, "name", project.Name);
            RegistryParameters.AddTime(command, "created_at", CreatedAt(project.CreatedAt, w.Now));
            await command.ExecuteNonQueryAsync(w.CancellationToken);
            return RegistryResult.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> UpdateProjectAsync(ProjectDefinition project, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (RegistryChecks.Project(project) is { } invalid)
        {
            return Refused("update project", project.Id, invalid);
        }
        return WriteAsync("update project", project.Id, actor, async w =>
        {
            if (await w.LockRowAsync(LockProject, project.Id) is not { } before)
            {
                return RegistryResult.NotFound("project_id", $"project_id '{project.Id}' does not exist");
            }
            await using var command = w.Command(UpdateProject);
            RegistryParameters.AddText(command, "id", project.Id);
            RegistryParameters.AddText(command, "name", project.Name);
            RegistryParameters.AddJson(command, "before", before.Json);
            await command.ExecuteNonQueryAsync(w.CancellationToken);
            return RegistryResult.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryDeletion> DeleteProjectsAsync(ImmutableArray<string> projectIds, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var ids = DistinctIds(projectIds).Where(id => id != DefaultProject.Id).ToArray();
        if (ids.Length == 0)
        {
            return Task.FromResult(new RegistryDeletion([], []));
        }
        return DeleteAsync("delete projects", ids, actor, async w =>
        {
            await w.ExecuteAsync(WithIds(w.Command(LockProjects), ids));
            await w.ExecuteAsync(WithIds(w.Command(LockKeysOfProjects), ids));
            var keys = await w.TextsAsync(WithIds(w.Command(DeleteKeysOfProjects), ids));
            var deleted = await w.TextsAsync(WithIds(w.Command(DeleteProjects), ids));
            return new RegistryDeletion(Existing(ids, deleted), [.. keys.OfType<string>()]);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ProjectKeyDefinition?> GetProjectKeyAsync(string publicKey, CancellationToken cancellationToken = default) =>
        OneAsync(SelectProjectKey, publicKey, RegistryRows.ReadProjectKey, cancellationToken);

    /// <inheritdoc/>
    public async Task<ImmutableArray<ProjectKeyDefinition>> ListProjectKeysAsync(string? projectId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand(SelectProjectKeys);
        RegistryParameters.AddText(command, "project_id", projectId);
        return await ManyAsync(command, RegistryRows.ReadProjectKey, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> CreateProjectKeyAsync(ProjectKeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (RegistryChecks.ProjectKey(key) is { } invalid)
        {
            return Refused("create project key", key.PublicKey, invalid);
        }
        return WriteAsync("create project key", key.PublicKey, actor, async w =>
        {
            if (await ProjectKeyReferencesAsync(w, key) is { } refused)
            {
                return refused;
            }
            if (await w.ExistsAsync(ProjectKeyExists, key.PublicKey))
            {
                return RegistryResult.Invalid("public_key", $"public_key '{key.PublicKey}' already exists");
            }
            await using var command = w.Command(InsertProjectKey);
            AddProjectKey(command, key);
            RegistryParameters.AddTime(command, "created_at", CreatedAt(key.CreatedAt, w.Now));
            await command.ExecuteNonQueryAsync(w.CancellationToken);
            return RegistryResult.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryResult> ReplaceProjectKeyAsync(ProjectKeyDefinition key, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (RegistryChecks.ProjectKey(key) is { } invalid)
        {
            return Refused("replace project key", key.PublicKey, invalid);
        }
        return WriteAsync("replace project key", key.PublicKey, actor, async w =>
        {
            // A missing key is named first; then the project is held before the key is locked (projects precede
            // project_api_keys in the lock order), and the key looked up again under its lock.
            if (!await w.ExistsAsync(ProjectKeyExists, key.PublicKey))
            {
                return ProjectKeyNotFound(key.PublicKey);
            }
            if (await ProjectKeyReferencesAsync(w, key) is { } refused)
            {
                return refused;
            }
            if (await w.LockRowAsync(LockProjectKey, key.PublicKey) is not { } before)
            {
                return ProjectKeyNotFound(key.PublicKey);
            }
            await using var command = w.Command(ReplaceProjectKey);
            AddProjectKey(command, key);
            RegistryParameters.AddJson(command, "before", before.Json);
            await command.ExecuteNonQueryAsync(w.CancellationToken);
            return RegistryResult.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegistryDeletion> DeleteProjectKeysAsync(ImmutableArray<string> publicKeys, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var ids = DistinctIds(publicKeys);
        if (ids.Length == 0)
        {
            return Task.FromResult(new RegistryDeletion([], []));
        }
        return DeleteAsync("delete project keys", ids, actor, async w =>
        {
            await w.ExecuteAsync(WithIds(w.Command(LockProjectKeys), ids));
            var deleted = Existing(ids, await w.TextsAsync(WithIds(w.Command(DeleteProjectKeys), ids)));
            return new RegistryDeletion(deleted, deleted);
        }, cancellationToken);
    }

    private static RegistryResult ProjectKeyNotFound(string publicKey) =>
        RegistryResult.NotFound("public_key", $"public_key '{publicKey}' does not exist");

    // The key's project must exist (and is held until the write ends); its secret must not open another key.
    private static async Task<RegistryResult?> ProjectKeyReferencesAsync(RegistryWrite w, ProjectKeyDefinition key)
    {
        if (!await w.ExistsAsync(HoldProject, key.ProjectId))
        {
            return RegistryResult.Invalid("project_id", $"project_id '{key.ProjectId}' does not exist");
        }
        if (await w.ExistsAsync(SecretTaken, key.SecretHash, key.PublicKey))
        {
            return RegistryResult.Invalid("secret_key", "this secret key is already used by another key");
        }
        return null;
    }

    private static void AddProjectKey(Npgsql.NpgsqlCommand command, ProjectKeyDefinition key)
    {
        RegistryParameters.AddText(command, "public_key", key.PublicKey);
        RegistryParameters.AddText(command, "secret_hash", key.SecretHash);
        RegistryParameters.AddText(command, "display_secret_key", key.DisplaySecretKey);
        RegistryParameters.AddText(command, "project_id", key.ProjectId);
        RegistryParameters.AddText(command, "note", key.Note);
    }
}
