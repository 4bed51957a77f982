using System.Net.Http.Headers;
using System.Text.Json;

namespace HotDash.Bench.Ingest;

/// <summary>
/// Counts rows through the dashboard's Langfuse read API (<c>GET /api/public/traces</c> and <c>/observations</c> with
/// <c>limit=1</c>, reading <c>meta.totalItems</c>): how the embedded DuckDB store, which lives inside the silo, is read.
/// </summary>
internal sealed class PublicApiCounter(HttpClient http, Uri dashboard, AuthenticationHeaderValue authorization) : IStoreCounter
{
    public string Describe => $"the public API of {dashboard.GetLeftPart(UriPartial.Authority)} (GET /api/public/traces|observations?limit=1, meta.totalItems)";

    public async Task<StoreCount> CountAsync(RowNames names, CancellationToken cancellationToken)
    {
        var traces = TotalItemsAsync($"/api/public/traces?limit=1&name={Uri.EscapeDataString(names.Trace)}", cancellationToken);
        var observations = TotalItemsAsync($"/api/public/observations?limit=1&type=GENERATION&name={Uri.EscapeDataString(names.Observation)}", cancellationToken);
        return new StoreCount(await traces, await observations);
    }

    private async Task<long> TotalItemsAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(dashboard, pathAndQuery));
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {pathAndQuery} answered {(int)response.StatusCode}: {Truncate(body)}");
        }
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("meta").GetProperty("totalItems").GetInt64();
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "...";
}
