namespace HotDash.Grains.Tests.Projects;

/// <summary>Builders for projects and project API keys with ids unique per test (the registry tests share one registry).</summary>
internal static class ProjectsTestData
{
    public static ProjectDefinition Project(string? name = null) =>
        new(TestData.UniqueId("project"), name ?? "A project", default);

    /// <summary>A new key pair for <paramref name="projectId"/>: the secret, and the definition the registry stores.</summary>
    public static (string Secret, ProjectKeyDefinition Key) NewProjectKey(string projectId, string? note = null)
    {
        var (publicKey, secret) = ProjectApiKeys.Generate();
        return (secret, ProjectApiKeys.Define(publicKey, secret, projectId, note, default));
    }

    public static IProjectKeyGrain ProjectKeyGrain(this IGrainFactory grains, string publicKey) => grains.GetGrain<IProjectKeyGrain>(publicKey);
}
