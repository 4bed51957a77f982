using System.Text;

namespace HotDash.Dashboard.Tests.Admin;

/// <summary>
/// Stands in for the gateway's management HTTP API (an external HTTP surface, not our infrastructure): records each
/// request with its body and answers the canned status and JSON.
/// </summary>
internal sealed class RecordingHandler(HttpStatusCode status, string json) : HttpMessageHandler
{
    public List<(HttpMethod Method, string Path, string? Body, string? Authorization)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!.PathAndQuery, body, request.Headers.Authorization?.ToString()));
        return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
