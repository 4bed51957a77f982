using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>Projects and their API keys as the management API answers them (snake_case, times as the other endpoints write them).</summary>
internal static class ProjectJson
{
    /// <summary><c>{"project_id", "name", "created_at"}</c>.</summary>
    public static void Project(Utf8JsonWriter w, ProjectDefinition project)
    {
        w.WriteStartObject();
        ProjectProperties(w, project);
        w.WriteEndObject();
    }

    public static void ProjectProperties(Utf8JsonWriter w, ProjectDefinition project)
    {
        w.WriteString("project_id", project.Id);
        w.WriteString("name", project.Name);
        ManagementJson.Time(w, "created_at", project.CreatedAt);
    }

    /// <summary>A stored key: <c>{"public_key", "display_secret_key", "project_id", "note", "created_at"}</c>; never its secret or hash.</summary>
    public static void Key(Utf8JsonWriter w, ProjectKeyDefinition key)
    {
        w.WriteStartObject();
        KeyProperties(w, key);
        w.WriteEndObject();
    }

    /// <summary>A key just made: the stored key's fields and, this once, its <c>secret_key</c>.</summary>
    public static void GeneratedKey(Utf8JsonWriter w, ProjectKeyDefinition key, string secretKey)
    {
        w.WriteStartObject();
        w.WriteString("public_key", key.PublicKey);
        w.WriteString("secret_key", secretKey);
        w.WriteString("display_secret_key", key.DisplaySecretKey);
        w.WriteString("project_id", key.ProjectId);
        ManagementJson.String(w, "note", key.Note);
        ManagementJson.Time(w, "created_at", key.CreatedAt);
        w.WriteEndObject();
    }

    public static void Keys(Utf8JsonWriter w, string name, IEnumerable<ProjectKeyDefinition> keys)
    {
        w.WriteStartArray(name);
        foreach (var key in keys)
        {
            Key(w, key);
        }
        w.WriteEndArray();
    }

    private static void KeyProperties(Utf8JsonWriter w, ProjectKeyDefinition key)
    {
        w.WriteString("public_key", key.PublicKey);
        w.WriteString("display_secret_key", key.DisplaySecretKey);
        w.WriteString("project_id", key.ProjectId);
        ManagementJson.String(w, "note", key.Note);
        ManagementJson.Time(w, "created_at", key.CreatedAt);
    }
}
