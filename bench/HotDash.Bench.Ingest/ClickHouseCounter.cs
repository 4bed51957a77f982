using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace HotDash.Bench.Ingest;

/// <summary>
/// Counts rows in ClickHouse itself over its HTTP interface (<c>SELECT count() ... FINAL</c>, one query for both tables),
/// so "stored" means inserted into the tables the dashboard reads, not merely accepted by the silo.
/// </summary>
internal sealed class ClickHouseCounter : IStoreCounter
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _database;
    private readonly string _projectId;
    private readonly AuthenticationHeaderValue? _authorization;

    public ClickHouseCounter(HttpClient http, Uri url, string database, string projectId, string? user, string? password)
    {
        if (database.Length == 0 || !database.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"--clickhouse-db must be letters, digits and _, not '{database}'");
        }
        _http = http;
        _url = url;
        _database = database;
        _projectId = projectId;
        if (user is not null || password is not null)
        {
            _authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? "default"}:{password ?? ""}")));
        }
    }

    public string Database => _database;

    public string Describe => $"ClickHouse {_url.GetLeftPart(UriPartial.Authority)} database {_database} (SELECT count() ... FINAL)";

    public async Task<StoreCount> CountAsync(RowNames names, CancellationToken cancellationToken)
    {
        var project = Quote(_projectId);
        var sql = $"SELECT (SELECT count() FROM {_database}.traces FINAL WHERE project_id = {project} AND name = {Quote(names.Trace)}), "
            + $"(SELECT count() FROM {_database}.observations FINAL WHERE project_id = {project} AND name = {Quote(names.Observation)}) "
            + "FORMAT TabSeparated";
        var text = await QueryAsync(sql, cancellationToken);
        var parts = text.Trim().Split('\t');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var traces)
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var observations))
        {
            throw new InvalidOperationException($"ClickHouse answered '{text.Trim()}' to a count");
        }
        return new StoreCount(traces, observations);
    }

    /// <summary>Runs <paramref name="sql"/> and returns the body; a ClickHouse error becomes an exception with its text.</summary>
    public async Task<string> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(sql, Encoding.UTF8, "text/plain") };
        request.Headers.Authorization = _authorization;
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"ClickHouse answered {(int)response.StatusCode}: {body.Trim()}");
        }
        return body;
    }

    // ClickHouse string literal: backslash and quote escaped (18.16 has no query parameters).
    private static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
