using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace HotDash.Bench.Ingest;

/// <summary>Sends non-streamed chat completions to the gateway's mock model with the master key.</summary>
internal sealed class ChatSender(HttpClient http, Uri gateway, string masterKey, string model)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly Uri _chat = new(gateway, "/v1/chat/completions");
    private readonly AuthenticationHeaderValue _authorization = new("Bearer", masterKey);
    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        $$"""{"model":"{{model}}","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Summarise the quarterly numbers for the board in three short bullet points."}],"max_tokens":32,"user":"bench-end-user"}""");

    public async Task<SendOutcome> SendAsync(CancellationToken cancellationToken)
    {
        var body = new ByteArrayContent(_body);
        body.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _chat) { Content = body };
        request.Headers.Authorization = _authorization;
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            ? new SendOutcome(1, 0, null)
            : new SendOutcome(0, 1, $"HTTP {(int)response.StatusCode}: {(text.Length <= 200 ? text : text[..200] + "...")}");
    }

    /// <summary>Null once the gateway answers a chat request, else why not.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken) => (await SendAsync(cancellationToken)).Error;
}
