using System.Reflection;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary><c>GET /api/public/projects</c> (the key's project) and <c>GET /api/public/health</c>.</summary>
internal static class ProjectEndpoints
{
    // HotDash has no organizations: every project belongs to the one installation, named so in Langfuse's required object.
    private const string OrganizationId = "hotdash";
    private const string OrganizationName = "HotDash";

    /// <summary>The dashboard's version (its informational version without the commit).</summary>
    public static readonly string Version = ReadVersion();

    public static async Task<IResult> ListAsync(PublicApiCall call)
    {
        if (call.Access != PublicApiAccess.Project)
        {
            return PublicApiErrors.Forbidden("Invalid API key. Are you using an organization key?");
        }
        var project = await call.Grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey).GetProject(call.ProjectId);
        return new LangfuseJsonResult(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            // A key whose project was deleted lists nothing, as Langfuse's query on deletedAt: null does.
            if (project is not null)
            {
                w.WriteStartObject();
                w.WriteString("id", project.Id);
                w.WriteString("name", project.Name);
                w.WriteStartObject("organization");
                w.WriteString("id", OrganizationId);
                w.WriteString("name", OrganizationName);
                w.WriteEndObject();
                w.WriteStartObject("metadata");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>No authentication, as Langfuse's: OK while the cluster is connected, 503 when it is not.</summary>
    public static IResult Health(ClusterConnection connection)
    {
        var healthy = connection.ConnectedGateways > 0;
        return new LangfuseJsonResult(healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", healthy ? "OK" : "Cluster not available");
            w.WriteString("version", Version);
            w.WriteEndObject();
        });
    }

    private static string ReadVersion()
    {
        var assembly = typeof(ProjectEndpoints).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
