using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotDash.Grains.Projects;

/// <summary>
/// Langfuse's headless initialization, the HotDash way: ensures the configured project exists (created with its name,
/// or renamed when <c>LANGFUSE_INIT_PROJECT_NAME</c> says otherwise) and, when both keys are set, that exactly this key
/// pair opens it. Idempotent: a start with the same variables writes nothing. A changed secret for the same public key
/// replaces the stored hash (the old secret stops working); a public key moved to another project moves with it.
/// Malformed keys are logged and skipped, never fatal.
/// </summary>
/// <remarks>
/// Goes through <see cref="IRegistryGrain"/>, so the project-key grains are refreshed as for any management write. Two
/// silos starting together may both try to create: the loser's refusal (id or public key taken) makes it look again.
/// </remarks>
public sealed class ProjectInit(IGrainFactory grains, IOptions<ProjectInitOptions> options, TimeProvider time, ILogger<ProjectInit> logger)
{
    /// <summary>Who the audit log says made the changes.</summary>
    public static readonly AuditActor Actor = new("langfuse-headless-init", "");

    /// <summary>The note a provisioned key gets.</summary>
    public const string ProvisionedNote = "Provisioned by LANGFUSE_INIT_PROJECT_PUBLIC_KEY / LANGFUSE_INIT_PROJECT_SECRET_KEY";

    private IRegistryGrain Registry => grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    /// <summary>Applies the variables once. Throws only when the registry cannot be reached (the caller retries).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.IgnoredSet.Count > 0)
        {
            ProjectInitLog.Ignored(logger, string.Join(", ", o.IgnoredSet));
        }
        var projectId = o.EffectiveProjectId;
        if (!await EnsureProjectAsync(o, projectId, cancellationToken))
        {
            return;
        }
        if (KeyPair(o) is not { } pair)
        {
            ProjectInitLog.UpToDate(logger, projectId);
            return;
        }
        var key = ProjectApiKeys.Define(pair.PublicKey, pair.SecretKey, projectId, ProvisionedNote, time.GetUtcNow());
        await EnsureKeyAsync(key, cancellationToken);
    }

    // False when the project could not be ensured (refused: logged), so no key is attached to nothing.
    private async Task<bool> EnsureProjectAsync(ProjectInitOptions o, string projectId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await Registry.GetProject(projectId).WaitAsync(cancellationToken);
            if (existing is null)
            {
                var name = o.EffectiveProjectName;
                var created = await Registry.CreateProject(new ProjectDefinition(projectId, name, time.GetUtcNow()), Actor).WaitAsync(cancellationToken);
                if (created.IsOk)
                {
                    ProjectInitLog.ProjectCreated(logger, projectId, name);
                    return true;
                }
                // Another silo created it in between: look again.
                if (created.Param == "project_id" && attempt < 3)
                {
                    continue;
                }
                ProjectInitLog.Refused(logger, $"project {projectId}", created.Status, created.Param, created.Message);
                return false;
            }
            if (o.ProjectName is { } wanted && wanted != existing.Name)
            {
                var renamed = await Registry.UpdateProject(existing with { Name = wanted }, Actor).WaitAsync(cancellationToken);
                // Deleted in between: look again (and create it).
                if (renamed.Status == 404 && attempt < 3)
                {
                    continue;
                }
                if (!renamed.IsOk)
                {
                    // The project is there under its old name: its key can still be ensured.
                    ProjectInitLog.Refused(logger, $"renaming project {projectId}", renamed.Status, renamed.Param, renamed.Message);
                    return renamed.Status != 404;
                }
                ProjectInitLog.ProjectRenamed(logger, projectId, wanted);
            }
            return true;
        }
    }

    private async Task EnsureKeyAsync(ProjectKeyDefinition key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await Registry.GetProjectKey(key.PublicKey).WaitAsync(cancellationToken);
            RegistryResult result;
            if (existing is null)
            {
                result = await Registry.CreateProjectKey(key, Actor).WaitAsync(cancellationToken);
                if (result.IsOk)
                {
                    ProjectInitLog.KeyCreated(logger, key.PublicKey, key.ProjectId);
                    return;
                }
            }
            else if (existing.SecretHash == key.SecretHash && existing.ProjectId == key.ProjectId)
            {
                ProjectInitLog.UpToDate(logger, key.ProjectId);
                return;
            }
            else
            {
                // The note someone gave the key through the management API stays.
                result = await Registry.ReplaceProjectKey(key with { Note = existing.Note, CreatedAt = existing.CreatedAt }, Actor).WaitAsync(cancellationToken);
                if (result.IsOk)
                {
                    ProjectInitLog.KeyReplaced(logger, key.PublicKey, key.ProjectId);
                    return;
                }
            }
            // Created or deleted by someone else in between: look again.
            if (result.Param == "public_key" && attempt < 3)
            {
                continue;
            }
            ProjectInitLog.Refused(logger, $"project API key {key.PublicKey}", result.Status, result.Param, result.Message);
            return;
        }
    }

    // Both keys, well formed; else null (logged when only one is set or one is malformed).
    private (string PublicKey, string SecretKey)? KeyPair(ProjectInitOptions o)
    {
        switch (o.PublicKey, o.SecretKey)
        {
            case (null, null):
                return null;
            case (not null, null):
                ProjectInitLog.HalfAKeyPair(logger, ProjectInitOptions.PublicKeyVariable, ProjectInitOptions.SecretKeyVariable);
                return null;
            case (null, not null):
                ProjectInitLog.HalfAKeyPair(logger, ProjectInitOptions.SecretKeyVariable, ProjectInitOptions.PublicKeyVariable);
                return null;
        }
        var ok = true;
        if (!ProjectApiKeys.IsPublicKey(o.PublicKey))
        {
            ProjectInitLog.MalformedKey(logger, ProjectInitOptions.PublicKeyVariable, ProjectApiKeys.PublicKeyPrefix);
            ok = false;
        }
        if (!ProjectApiKeys.IsSecretKey(o.SecretKey))
        {
            ProjectInitLog.MalformedKey(logger, ProjectInitOptions.SecretKeyVariable, ProjectApiKeys.SecretKeyPrefix);
            ok = false;
        }
        return ok ? (o.PublicKey!, o.SecretKey!) : null;
    }
}
