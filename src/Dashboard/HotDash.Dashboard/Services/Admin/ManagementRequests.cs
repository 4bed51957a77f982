using System.Text.Json.Nodes;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>The request bodies of the management calls the admin pages make, in LiteLLM's field names.</summary>
public static class ManagementRequests
{
    /// <summary><c>/team/new</c>.</summary>
    public static JsonObject TeamNew(string? alias, LimitsForm limits)
    {
        var body = new JsonObject();
        Optional(body, "team_alias", alias);
        limits.WriteTo(body, update: false);
        return body;
    }

    /// <summary><c>/team/update</c>: the alias and every limit (an empty one clears it).</summary>
    public static JsonObject TeamUpdate(string teamId, string? alias, LimitsForm limits)
    {
        var body = new JsonObject { ["team_id"] = teamId, ["team_alias"] = LimitsForm.Blank(alias) };
        limits.WriteTo(body, update: true);
        return body;
    }

    /// <summary><c>/team/block</c>, <c>/team/unblock</c>.</summary>
    public static JsonObject Team(string teamId) => new() { ["team_id"] = teamId };

    /// <summary><c>/team/delete</c>.</summary>
    public static JsonObject TeamDelete(string teamId) => new() { ["team_ids"] = new JsonArray(teamId) };

    /// <summary><c>/key/generate</c>: <paramref name="duration"/> such as <c>30d</c>, empty for never.</summary>
    public static JsonObject KeyGenerate(string? alias, string? teamId, string? userId, string? duration, LimitsForm limits)
    {
        var body = new JsonObject();
        Optional(body, "key_alias", alias);
        Optional(body, "team_id", teamId);
        Optional(body, "user_id", userId);
        Optional(body, "duration", duration);
        limits.WriteTo(body, update: false);
        return body;
    }

    /// <summary><c>/key/update</c>: the alias and every limit (an empty one clears it).</summary>
    public static JsonObject KeyUpdate(string token, string? alias, LimitsForm limits)
    {
        var body = new JsonObject { ["key"] = token, ["key_alias"] = LimitsForm.Blank(alias) };
        limits.WriteTo(body, update: true);
        return body;
    }

    /// <summary><c>/key/block</c>, <c>/key/unblock</c>: by the key or its hash.</summary>
    public static JsonObject Key(string token) => new() { ["key"] = token };

    /// <summary><c>/key/delete</c>.</summary>
    public static JsonObject KeyDelete(string token) => new() { ["keys"] = new JsonArray(token) };

    /// <summary><c>/user/new</c>.</summary>
    public static JsonObject UserNew(string? userId, string? email, string? role, LimitsForm limits)
    {
        var body = new JsonObject();
        Optional(body, "user_id", userId);
        Optional(body, "user_email", email);
        Optional(body, "user_role", role);
        limits.WriteTo(body, update: false);
        return body;
    }

    /// <summary><c>/user/update</c>: email, role and every limit (an empty one clears it).</summary>
    public static JsonObject UserUpdate(string userId, string? email, string? role, LimitsForm limits)
    {
        var body = new JsonObject { ["user_id"] = userId, ["user_email"] = LimitsForm.Blank(email) };
        Optional(body, "user_role", role);
        limits.WriteTo(body, update: true);
        return body;
    }

    /// <summary><c>/user/delete</c>.</summary>
    public static JsonObject UserDelete(string userId) => new() { ["user_ids"] = new JsonArray(userId) };

    /// <summary><c>/project/new</c>.</summary>
    public static JsonObject ProjectNew(string name) => new() { ["name"] = name.Trim() };

    /// <summary><c>/project/delete</c>.</summary>
    public static JsonObject ProjectDelete(string projectId) => new() { ["project_ids"] = new JsonArray(projectId) };

    /// <summary><c>/project/key/generate</c>.</summary>
    public static JsonObject ProjectKeyGenerate(string projectId, string? note)
    {
        var body = new JsonObject { ["project_id"] = projectId };
        Optional(body, "note", note);
        return body;
    }

    /// <summary><c>/project/key/delete</c>.</summary>
    public static JsonObject ProjectKeyDelete(string publicKey) => new() { ["public_keys"] = new JsonArray(publicKey) };

    private static void Optional(JsonObject body, string name, string? value)
    {
        if (LimitsForm.Blank(value) is { } v)
        {
            body[name] = v;
        }
    }
}
