using HotDash.Hosting.Configuration;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>
/// What the traces, sessions, users and trace detail pages share: which project they show and how their links keep
/// an explicit <c>?project=</c>, and the gateway URL their empty states name.
/// </summary>
public static class TracePageLinks
{
    /// <summary>The project <c>?project=</c> names, else the one the gateways trace into (<c>hotdash.tracing.project_id</c>, as Home and Models use).</summary>
    public static string ProjectOrDefault(string? requested, HotDashConfig config) =>
        string.IsNullOrWhiteSpace(requested) ? config.HotDash.Tracing.ProjectId : requested.Trim();

    /// <summary><paramref name="href"/> with <c>project=</c> appended when one was asked for explicitly; unchanged otherwise.</summary>
    public static string WithProject(string href, string? project) =>
        string.IsNullOrWhiteSpace(project)
            ? href
            : href + (href.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "project=" + Uri.EscapeDataString(project.Trim());

    /// <summary>
    /// The gateway's chat completions URL for people to send a request to: <c>hotdash.gateway_url</c>, else localhost on
    /// <c>hotdash.api_port</c> (the rule Home's empty state uses).
    /// </summary>
    public static string ChatCompletionsUrl(HotDashConfig config) =>
        (config.HotDash.GatewayUrl ?? $"http://localhost:{config.HotDash.ApiPort}").TrimEnd('/') + "/v1/chat/completions";
}
