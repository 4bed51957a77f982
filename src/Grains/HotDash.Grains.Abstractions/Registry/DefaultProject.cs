namespace HotDash.Grains;

/// <summary>
/// The Langfuse project every installation has: created by the registry's migration (PostgreSQL) or kept by the
/// embedded registry from its first activation, and never deleted, so a key pair always has somewhere to belong.
/// </summary>
public static class DefaultProject
{
    /// <summary>Its id (also <c>LANGFUSE_INIT_PROJECT_ID</c>'s default).</summary>
    public const string Id = "default";

    /// <summary>Its name.</summary>
    public const string Name = "Default";
}
