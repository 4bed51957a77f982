using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>
/// The Langfuse project endpoints over the registry grain: projects (<c>new</c>, <c>list</c>, <c>info</c>, <c>delete</c>)
/// and their API key pairs (<c>key/generate</c>, <c>key/list</c>, <c>key/delete</c>). A new pair is <c>pk-lf-</c> and
/// <c>sk-lf-</c> with 32 random URL-safe characters each; the secret is answered once, and only its SHA-256 and
/// <c>sk-lf-...abcd</c> are stored.
/// </summary>
internal sealed class ProjectManagement(IClusterClient cluster, TimeProvider time, ILogger<ProjectManagement> logger)
{
    /// <summary>The longest project id taken (Langfuse's are 25-character cuids; headless-init ids are free text).</summary>
    public const int MaxIdLength = 128;

    /// <summary>The longest project name taken.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The longest key note taken.</summary>
    public const int MaxNoteLength = 1024;

    private IRegistryGrain Registry => cluster.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    /// <summary><c>POST /project/new {"project_id"?, "name"}</c>: answers the project.</summary>
    public async Task<ManagementReply> NewAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            // Left out (or null): a new id, as Langfuse gives every project one.
            var id = f.TryGet("project_id", out _) ? ProjectId(f, "project_id") : Guid.NewGuid().ToString("n");
            var name = Text(f, "name", MaxNameLength, required: true);
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            var project = new ProjectDefinition(id!, name!, time.GetUtcNow());
            var result = await Registry.CreateProject(project, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ProjectManagementLog.ProjectCreated(logger, project.Id, project.Name, call.Actor.ChangedBy);
            var stored = await Registry.GetProject(project.Id) ?? project;
            return ManagementReply.Json(w => ProjectJson.Project(w, stored));
        }
    }

    /// <summary><c>GET /project/list</c>: <c>{"projects": [...]}</c>, oldest first.</summary>
    public async Task<ManagementReply> ListAsync(ManagementCall call)
    {
        var projects = await Registry.ListProjects();
        return ManagementReply.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("projects");
            foreach (var p in projects)
            {
                ProjectJson.Project(w, p);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary><c>GET /project/info?project_id=</c>: the project and its keys (<c>api_keys</c>, no secrets).</summary>
    public async Task<ManagementReply> InfoAsync(ManagementCall call)
    {
        if (call.Query("project_id") is not { } id)
        {
            return ManagementReply.Invalid("project_id", "project_id is required: /project/info?project_id=...");
        }
        if (await Registry.GetProject(id) is not { } project)
        {
            return ManagementReply.NotFound("project_id", $"Project not found, passed project_id={id}");
        }
        var keys = await Registry.ListProjectKeys(id);
        return ManagementReply.Json(w =>
        {
            w.WriteStartObject();
            ProjectJson.ProjectProperties(w, project);
            ProjectJson.Keys(w, "api_keys", keys);
            w.WriteEndObject();
        });
    }

    /// <summary><c>POST /project/delete {"project_ids": [...]}</c>: deletes the projects and their keys; the default project stays.</summary>
    public async Task<ManagementReply> DeleteAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            var ids = f.StringList("project_ids");
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            if (ids is not { IsEmpty: false } projectIds)
            {
                return ManagementReply.Invalid("project_ids", "project_ids is required: a list of project ids.");
            }
            if (projectIds.Contains(DefaultProject.Id))
            {
                return ManagementReply.Invalid("project_ids", $"The project '{DefaultProject.Id}' always exists and cannot be deleted.");
            }
            foreach (var id in projectIds)
            {
                if (await Registry.GetProject(id) is null)
                {
                    return ManagementReply.NotFound("project_ids", $"Project not found, passed project_id={id}");
                }
            }
            var deletion = await Registry.DeleteProjects([.. projectIds.Distinct(StringComparer.Ordinal)], call.Actor);
            ProjectManagementLog.ProjectsDeleted(logger, deletion.Deleted.Length, deletion.DeletedKeyTokens.Length, call.Actor.ChangedBy);
            return ManagementReply.Json(w =>
            {
                w.WriteStartObject();
                ManagementJson.Strings(w, "deleted_projects", deletion.Deleted);
                ManagementJson.Strings(w, "deleted_public_keys", deletion.DeletedKeyTokens);
                w.WriteEndObject();
            });
        }
    }

    /// <summary>
    /// <c>POST /project/key/generate {"project_id", "note"?}</c>: a new key pair; answers
    /// <c>{public_key, secret_key, display_secret_key, project_id, note, created_at}</c>, the secret this once.
    /// </summary>
    public async Task<ManagementReply> GenerateKeyAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            var projectId = ProjectId(f, "project_id");
            if (projectId is null)
            {
                f.Fail("project_id", "project_id is required: the project the key opens.");
            }
            var note = Text(f, "note", MaxNoteLength, required: false);
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            var (publicKey, secretKey) = ProjectApiKeys.Generate();
            var key = ProjectApiKeys.Define(publicKey, secretKey, projectId!, note, time.GetUtcNow());
            var result = await Registry.CreateProjectKey(key, call.Actor);
            if (!result.IsOk)
            {
                return ManagementReply.Error(ManagementError.FromRegistry(result));
            }
            ProjectManagementLog.KeyGenerated(logger, key.PublicKey, key.ProjectId, call.Actor.ChangedBy);
            return ManagementReply.Json(w => ProjectJson.GeneratedKey(w, key, secretKey));
        }
    }

    /// <summary><c>GET /project/key/list?project_id=</c> (optional): <c>{"keys": [...]}</c>, oldest first, without secrets.</summary>
    public async Task<ManagementReply> ListKeysAsync(ManagementCall call)
    {
        var id = call.Query("project_id");
        if (id is not null && await Registry.GetProject(id) is null)
        {
            return ManagementReply.NotFound("project_id", $"Project not found, passed project_id={id}");
        }
        var keys = await Registry.ListProjectKeys(id);
        return ManagementReply.Json(w =>
        {
            w.WriteStartObject();
            ProjectJson.Keys(w, "keys", keys);
            w.WriteEndObject();
        });
    }

    /// <summary><c>POST /project/key/delete {"public_keys": [...]}</c>: answers <c>deleted_keys</c>; the secrets stop working at once.</summary>
    public async Task<ManagementReply> DeleteKeysAsync(ManagementCall call)
    {
        var (doc, error) = await call.ReadBodyAsync();
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        using (doc)
        {
            var f = new RequestFields(doc!.RootElement);
            var keys = f.StringList("public_keys");
            if (f.Error is { } invalid)
            {
                return ManagementReply.Error(invalid);
            }
            if (keys is not { IsEmpty: false } publicKeys)
            {
                return ManagementReply.Invalid("public_keys", "public_keys is required: a list of pk-lf-... keys.");
            }
            for (var i = 0; i < publicKeys.Length; i++)
            {
                if (!ProjectApiKeys.IsPublicKey(publicKeys[i]))
                {
                    // A secret sent here by mistake must not be echoed back.
                    return ManagementReply.Invalid("public_keys", $"public_keys[{i}] must be a public key, {ProjectApiKeys.PublicKeyPrefix}...");
                }
            }
            var deletion = await Registry.DeleteProjectKeys([.. publicKeys.Distinct(StringComparer.Ordinal)], call.Actor);
            if (deletion.Deleted.IsEmpty)
            {
                return ManagementReply.NotFound("public_keys", "No project API keys found.");
            }
            ProjectManagementLog.KeysDeleted(logger, deletion.Deleted.Length, call.Actor.ChangedBy);
            return ManagementReply.Json(w =>
            {
                w.WriteStartObject();
                ManagementJson.Strings(w, "deleted_keys", deletion.Deleted);
                w.WriteEndObject();
            });
        }
    }

    // A project id: 1 to MaxIdLength letters, digits, '-', '_' or '.' (it becomes part of archive object keys and folder
    // names, as hotdash.tracing.project_id); null when missing (the caller decides) or refused (recorded in f).
    private static string? ProjectId(RequestFields f, string name)
    {
        if (f.String(name) is not { } text)
        {
            return null;
        }
        var id = text.Trim();
        if (id.Length == 0)
        {
            f.Fail(name, $"{name} must not be empty.");
            return null;
        }
        if (id.Length > MaxIdLength)
        {
            f.Fail(name, $"{name} must be at most {MaxIdLength} characters.");
            return null;
        }
        if (id is "." or ".." || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            f.Fail(name, $"{name} must be letters, digits, '-', '_' or '.' only.");
            return null;
        }
        return id;
    }

    // Free text (a name, a note), trimmed; blank counts as missing.
    private static string? Text(RequestFields f, string name, int maxLength, bool required)
    {
        var text = f.String(name)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                f.Fail(name, $"{name} is required: a non-empty string.");
            }
            return null;
        }
        if (text.Length > maxLength)
        {
            f.Fail(name, $"{name} must be at most {maxLength} characters.");
            return null;
        }
        if (text.Any(char.IsControl))
        {
            f.Fail(name, $"{name} must not contain control characters.");
            return null;
        }
        return text;
    }
}
