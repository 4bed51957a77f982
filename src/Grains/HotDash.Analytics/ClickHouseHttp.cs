using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HotDash.Analytics;

/// <summary>
/// A minimal ClickHouse client over the HTTP interface (statements in the POST body, data as JSONEachRow), the one
/// protocol surface shared by ClickHouse 18.16 and current releases. Every call but <see cref="CreateDatabaseAsync"/>
/// runs in <paramref name="database"/>.
/// </summary>
/// <param name="http">Sends the requests; an <see cref="HttpClient"/> or any handler (shared, not disposed here).</param>
/// <param name="endpoint">The HTTP interface, e.g. <c>http://127.0.0.1:8123/</c>.</param>
/// <param name="database">The database statements run in.</param>
public sealed partial class ClickHouseHttp(HttpMessageInvoker http, Uri endpoint, string database)
{
    private static readonly MediaTypeHeaderValue PlainText = new("text/plain") { CharSet = "utf-8" };

    /// <summary>The database statements run in.</summary>
    public string Database { get; } = database;

    /// <summary>Runs one statement that returns no rows (DDL, <c>INSERT ... SELECT</c>, <c>ALTER</c>).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(Url(Database, null), Text(sql), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates <see cref="Database"/> if missing; sent without a database, which would not exist yet.</summary>
    public async Task CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var sql = $"CREATE DATABASE IF NOT EXISTS {ClickHouseSql.Identifier(Database)}";
        using var response = await SendAsync(Url(null, null), Text(sql), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops <see cref="Database"/> if present (tests, teardown).</summary>
    public async Task DropDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var sql = $"DROP DATABASE IF EXISTS {ClickHouseSql.Identifier(Database)}";
        using var response = await SendAsync(Url(null, null), Text(sql), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts newline-delimited JSON objects into <paramref name="table"/>. Unknown fields are skipped so writers
    /// may send fields a newer schema has not added yet; omitted fields take the column type's default.
    /// </summary>
    public async Task InsertJsonEachRowAsync(string table, ReadOnlyMemory<byte> ndjson, CancellationToken cancellationToken = default)
    {
        var query = $"INSERT INTO {ClickHouseSql.Identifier(table)} FORMAT JSONEachRow";
        var content = new ReadOnlyMemoryContent(ndjson);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await SendAsync(Url(Database, query, "input_format_skip_unknown_fields=1"), content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a <c>SELECT</c> (without a <c>FORMAT</c> clause: JSONEachRow is appended) and returns its rows.
    /// 64-bit integers arrive as JSON numbers, not the strings ClickHouse sends by default.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> QueryJsonEachRowAsync(string sql, CancellationToken cancellationToken = default)
    {
        var rows = new List<JsonElement>();
        await QueryJsonEachRowAsync(sql, row => rows.Add(row.Clone()), cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>Like <see cref="QueryJsonEachRowAsync(string, CancellationToken)"/>, streaming: <paramref name="onRow"/>
    /// sees each row as it is read (clone the element to keep it past the call).</summary>
    public async Task QueryJsonEachRowAsync(string sql, Action<JsonElement> onRow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onRow);
        var body = Text(sql.TrimEnd().TrimEnd(';') + "\nFORMAT JSONEachRow");
        using var response = await SendAsync(Url(Database, null, "output_format_json_quote_64bit_integers=0"), body, cancellationToken).ConfigureAwait(false);
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            // A failure after the first rows were sent arrives inside the 200 body, as a plain text line.
            if (line.StartsWith("Code: ", StringComparison.Ordinal))
            {
                throw Error(line, (int)response.StatusCode);
            }
            using var document = JsonDocument.Parse(line);
            onRow(document.RootElement);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, HttpContent content, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.Dispose();
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw Error(text, (int)response.StatusCode);
        }
    }

    private Uri Url(string? databaseName, string? query, string? setting = null)
    {
        var builder = new StringBuilder();
        void Add(string pair) => builder.Append(builder.Length == 0 ? '?' : '&').Append(pair);
        if (databaseName is not null)
        {
            Add("database=" + Uri.EscapeDataString(databaseName));
        }
        if (query is not null)
        {
            Add("query=" + Uri.EscapeDataString(query));
        }
        if (setting is not null)
        {
            Add(setting);
        }
        return new Uri(endpoint, builder.ToString());
    }

    private static StringContent Text(string sql) => new(sql, Encoding.UTF8, PlainText);

    // "Code: 60, e.displayText() = DB::Exception: ..., e.what() = DB::Exception" (18.16) or
    // "Code: 60. DB::Exception: ... (UNKNOWN_TABLE) (version 24.x)" (current).
    private static ClickHouseException Error(string text, int status)
    {
        var match = ErrorPattern().Match(text);
        if (!match.Success)
        {
            return new ClickHouseException(0, text.Trim(), status);
        }
        var message = match.Groups["message"].Value.Trim();
        var what = message.LastIndexOf(", e.what() = ", StringComparison.Ordinal);
        if (what >= 0)
        {
            message = message[..what];
        }
        return new ClickHouseException(int.Parse(match.Groups["code"].Value, CultureInfo.InvariantCulture), message, status);
    }

    [GeneratedRegex(@"Code: (?<code>\d+)[.,]\s*(?:e\.displayText\(\) = )?(?<message>.*)", RegexOptions.Singleline)]
    private static partial Regex ErrorPattern();
}
