using System.Text;

namespace HotDash.Silo.Tests;

/// <summary>
/// The private ClickHouse of <see cref="TracingClusterTests"/>: a server of its own (the shared test ClickHouse must never
/// be stopped), started once for the class, which one test stops and starts again under load. Each test uses a database
/// of its own on it. Null <see cref="Server"/> when the binary is not installed (the tests then apply the prerequisite rule).
/// </summary>
public sealed class TracingClickHouse : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>The server, or null when <see cref="ClickHouseServerProcess.Installed"/> is false.</summary>
    public ClickHouseServerProcess? Server { get; private set; }

    /// <summary>Runs <paramref name="sql"/> over HTTP and returns the body (append <c>FORMAT TabSeparated</c> for plain values).</summary>
    public async Task<string> QueryAsync(string sql)
    {
        var server = Server ?? throw new InvalidOperationException("no private ClickHouse");
        using var response = await _http.PostAsync(server.Endpoint, new StringContent(sql, Encoding.UTF8, "text/plain"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"ClickHouse refused {sql}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>One row of tab-separated numbers.</summary>
    public async Task<long[]> NumbersAsync(string sql)
    {
        var text = (await QueryAsync(sql + " FORMAT TabSeparated")).Trim();
        return [.. text.Split('\t').Select(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
    }

    public async Task InitializeAsync()
    {
        if (ClickHouseServerProcess.Installed)
        {
            Server = await ClickHouseServerProcess.StartNewAsync(TimeSpan.FromSeconds(60));
        }
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        _http.Dispose();
    }
}
