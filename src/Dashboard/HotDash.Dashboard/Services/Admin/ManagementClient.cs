using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>
/// Calls the gateway's LiteLLM management API (<c>/team/*</c>, <c>/key/*</c>, <c>/user/*</c>, <c>/project/*</c>) with the
/// master key. The dashboard never validates or applies a change itself: the gateway's rules and error messages are the
/// only ones, so an admin sees exactly what an API client would. Failures come back as results, never as exceptions.
/// </summary>
public sealed class ManagementClient(HttpClient http)
{
    /// <summary>The HTTP client's name-independent header for the master key, set once at registration.</summary>
    public static void Authorize(HttpClient client, string? masterKey)
    {
        // No master key: the gateway's management API is open (as LiteLLM's is), so no header at all.
        if (!string.IsNullOrEmpty(masterKey))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", masterKey);
        }
    }

    /// <summary><c>POST</c> <paramref name="path"/> with <paramref name="body"/> as JSON.</summary>
    public Task<ManagementResult> PostAsync(string path, JsonObject body, CancellationToken cancellationToken = default)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, cancellationToken);
    }

    /// <summary><c>GET</c> <paramref name="path"/> with the non-null <paramref name="query"/> parameters.</summary>
    public Task<ManagementResult> GetAsync(string path, IEnumerable<KeyValuePair<string, string?>>? query = null, CancellationToken cancellationToken = default)
    {
        var pairs = (query ?? []).Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}").ToArray();
        var url = pairs.Length == 0 ? path : $"{path}?{string.Join('&', pairs)}";
        return SendAsync(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
    }

    /// <summary><c>GET /key/list</c>: one page of full key objects (<see cref="KeyListPage.Parse"/> reads the answer).</summary>
    public Task<ManagementResult> ListKeysAsync(KeyListRequest request, CancellationToken cancellationToken = default) =>
        GetAsync("key/list", request.Query(), cancellationToken);

    /// <summary><c>GET /user/list</c>: one page of users (<see cref="UserListPage.Parse"/> reads the answer).</summary>
    public Task<ManagementResult> ListUsersAsync(UserListRequest request, CancellationToken cancellationToken = default) =>
        GetAsync("user/list", request.Query(), cancellationToken);

    private async Task<ManagementResult> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var _ = request;
        if (http.BaseAddress is null)
        {
            return new ManagementResult(false, 0, null, "hotdash.gateway_url is not an absolute http(s) URL");
        }
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var body = Parse(text);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new ManagementResult(true, status, body, null)
                : new ManagementResult(false, status, body, ErrorMessage(body, status, response.ReasonPhrase));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var reason = e is TaskCanceledException ? $"the gateway did not answer within {http.Timeout.TotalSeconds:0.#} s" : e.Message;
            return new ManagementResult(false, 0, null, $"The gateway at {http.BaseAddress} is unreachable: {reason}");
        }
    }

    /// <summary>The message of an OpenAI-shaped error (<c>{"error": {"message"}}</c>), else a plain description.</summary>
    public static string ErrorMessage(JsonNode? body, int status, string? reason)
    {
        if (body is JsonObject o)
        {
            if (o["error"] is JsonObject e && e["message"] is JsonValue m && m.TryGetValue<string>(out var message))
            {
                return message;
            }
            if (o["error"] is JsonValue ev && ev.TryGetValue<string>(out var plain))
            {
                return plain;
            }
            if (o["detail"] is JsonValue dv && dv.TryGetValue<string>(out var detail))
            {
                return detail;
            }
        }
        return $"The gateway answered {status} {reason}".TrimEnd();
    }

    private static JsonNode? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
