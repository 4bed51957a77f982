using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace HotDash.Bench.Ingest;

/// <summary>Posts Langfuse batches to <c>/api/public/ingestion</c> and reads the 207's per-event answers.</summary>
internal sealed class IngestionSender(HttpClient http, Uri dashboard, AuthenticationHeaderValue authorization)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly Uri _ingestion = new(dashboard, "/api/public/ingestion");

    /// <summary>Sends one batch of <paramref name="events"/> events (even: trace + generation pairs).</summary>
    public async Task<SendOutcome> SendAsync(int events, long sequence, CancellationToken cancellationToken)
    {
        var body = new ByteArrayContent(LangfuseBatch.Create(events / 2, sequence));
        body.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _ingestion) { Content = body };
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.MultiStatus)
        {
            return new SendOutcome(0, events, $"HTTP {(int)response.StatusCode}: {Text(bytes)}");
        }
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var accepted = 0;
        foreach (var success in root.GetProperty("successes").EnumerateArray())
        {
            if (success.TryGetProperty("status", out var status) && status.GetInt32() is >= 200 and < 300)
            {
                accepted++;
            }
        }
        string? error = null;
        var errors = root.GetProperty("errors");
        if (errors.GetArrayLength() > 0)
        {
            var first = errors[0];
            error = $"event {first.GetProperty("status").GetInt32()}: {first.GetProperty("message").GetString()}";
        }
        return new SendOutcome(accepted, events - accepted, error);
    }

    /// <summary>True once the project key opens the public API (the silo applies the init keys after it started).</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(dashboard, "/api/public/traces?limit=1"));
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode ? null : $"GET /api/public/traces answered {(int)response.StatusCode}: {Text(await response.Content.ReadAsByteArrayAsync(cancellationToken))}";
    }

    private static string Text(byte[] bytes)
    {
        var s = System.Text.Encoding.UTF8.GetString(bytes).Trim();
        return s.Length <= 200 ? s : s[..200] + "...";
    }
}
