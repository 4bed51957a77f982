using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>
/// Smoke tests of the servers <c>./hotdash test</c> starts besides Redis and PostgreSQL: ClickHouse over HTTP and
/// the S3 store (Swift with s3api). The S3 client tests proper come with the spend archive.
/// </summary>
public sealed class TestServersTests(ITestOutputHelper output) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task ClickHouse_SelectOneAsJsonEachRow_AnswersOneRow()
    {
        var endpoint = TestClickHouse.Endpoint(output);
        if (endpoint is null)
        {
            return;
        }

        using var response = await _http.PostAsync(new Uri(endpoint, "/"), new StringContent("SELECT 1 AS one FORMAT JSONEachRow"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"ClickHouse answered {(int)response.StatusCode}: {body}");
        using var row = JsonDocument.Parse(body.Trim());
        Assert.Equal(1, row.RootElement.GetProperty("one").GetInt32());
    }

    [Fact]
    public async Task S3Store_HealthyAndBadSignature_AnswersS3XmlError()
    {
        var endpoint = TestS3.Endpoint(output);
        if (endpoint is null)
        {
            return;
        }
        // The Swift proxy behind the S3 endpoint has its own health check.
        using var health = await _http.GetAsync(new Uri(endpoint, "/healthcheck"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // A request signed with the right key id but a wrong signature reaches s3api and must be refused the S3 way.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, $"/hotdash-smoke-{Guid.NewGuid():N}/object.txt"));
        request.Headers.TryAddWithoutValidation("Date", DateTimeOffset.UtcNow.ToString("r"));
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS {TestS3.AccessKey}:bm90LWEtc2lnbmF0dXJl");
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = XDocument.Parse(body).Root;
        Assert.NotNull(error);
        Assert.Equal("Error", error.Name.LocalName);
        Assert.Contains(error.Element("Code")?.Value, new[] { "SignatureDoesNotMatch", "AccessDenied" });
    }

    public void Dispose() => _http.Dispose();
}
