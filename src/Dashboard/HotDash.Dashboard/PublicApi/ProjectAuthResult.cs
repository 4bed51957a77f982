namespace HotDash.Dashboard.PublicApi;

/// <summary>The outcome of authenticating a public API request.</summary>
/// <param name="Status">200 when authenticated; else 401, 403 or 503.</param>
/// <param name="ProjectId">The key's project when authenticated.</param>
/// <param name="Access">What the credentials open.</param>
/// <param name="Message">Why not, in Langfuse's words.</param>
public readonly record struct ProjectAuthResult(int Status, string? ProjectId, PublicApiAccess Access, string? Message)
{
    /// <summary>Authenticated.</summary>
    public bool Succeeded => Status == StatusCodes.Status200OK;

    public static ProjectAuthResult Ok(string projectId, PublicApiAccess access) => new(StatusCodes.Status200OK, projectId, access, null);

    public static ProjectAuthResult Unauthorized(string message) => new(StatusCodes.Status401Unauthorized, null, PublicApiAccess.Project, message);

    public static ProjectAuthResult Unavailable(string message) => new(StatusCodes.Status503ServiceUnavailable, null, PublicApiAccess.Project, message);
}
