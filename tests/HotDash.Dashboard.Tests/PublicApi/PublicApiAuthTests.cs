using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using HotDash.Grains;

namespace HotDash.Dashboard.Tests.PublicApi;

[Collection(PublicApiCollection.Name)]
public sealed class PublicApiAuthTests(PublicApiFixture fixture)
{
    [Fact]
    public async Task Health_WithoutCredentials_AnswersOkWithVersion()
    {
        using var client = fixture.Anonymous();

        using var response = await client.GetAsync("/api/public/health");
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", json.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task Traces_NoAuthorizationHeader_Answers401InLangfusesShape()
    {
        using var client = fixture.Anonymous();

        using var response = await client.GetAsync("/api/public/traces");
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UnauthorizedError", json.GetProperty("error").GetString());
        Assert.Equal("No authorization header", json.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(PublicApiFixture.PublicKey, "sk-lf-wrong")]
    [InlineData("pk-lf-unknown", PublicApiFixture.SecretKey)]
    [InlineData(PublicApiFixture.PublicKey, PublicApiFixture.OtherSecretKey)]
    public async Task Traces_WrongKeyPair_Answers401InvalidCredentials(string publicKey, string secretKey)
    {
        using var client = fixture.Client(publicKey, secretKey);

        using var response = await client.GetAsync("/api/public/traces");
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UnauthorizedError", json.GetProperty("error").GetString());
        Assert.StartsWith("Invalid credentials", json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic not-base64!")]
    [InlineData("Basic cGstbGYtb25seQ==")] // "pk-lf-only": no secret
    [InlineData("Token abc")]
    public async Task Traces_MalformedAuthorization_Answers401InvalidHeader(string header)
    {
        using var client = fixture.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        using var response = await client.GetAsync("/api/public/traces");
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Invalid authorization header", json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traces_BearerPublicKeyOnly_Answers403()
    {
        using var client = fixture.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PublicApiFixture.PublicKey);

        using var response = await client.GetAsync("/api/public/traces");
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("ForbiddenError", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Ingestion_BearerPublicKeyOnly_StoresScoresAndRefusesTheRest()
    {
        using var bearer = fixture.Anonymous();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PublicApiFixture.PublicKey);
        var traceId = LangfuseBatch.NewId();
        var scoreId = LangfuseBatch.NewId();
        var trace = LangfuseBatch.Event(TraceEventTypes.TraceCreate, new JsonObject { ["id"] = traceId, ["name"] = "bearer" });
        var score = LangfuseBatch.Event(TraceEventTypes.ScoreCreate, new JsonObject { ["id"] = scoreId, ["traceId"] = traceId, ["name"] = "browser", ["value"] = 1 });

        using var response = await bearer.PostAsync("/api/public/ingestion", LangfuseBatch.Content(trace, score));
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var success = Assert.Single(json.GetProperty("successes").EnumerateArray());
        Assert.Equal(score["id"]!.GetValue<string>(), success.GetProperty("id").GetString());
        var error = Assert.Single(json.GetProperty("errors").EnumerateArray());
        Assert.Equal(trace["id"]!.GetValue<string>(), error.GetProperty("id").GetString());
        Assert.Equal(401, error.GetProperty("status").GetInt32());
        using var client = fixture.Client();
        var stored = await LangfuseBatch.PollAsync(client, $"/api/public/v2/scores/{scoreId}", _ => true);
        Assert.Equal("browser", stored.GetProperty("name").GetString());
        using var missing = await client.GetAsync($"/api/public/traces/{traceId}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Projects_KeyPair_ListsTheKeysProjectOnly()
    {
        using var client = fixture.Client(PublicApiFixture.OtherPublicKey, PublicApiFixture.OtherSecretKey);

        using var response = await client.GetAsync("/api/public/projects");
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var project = Assert.Single(json.GetProperty("data").EnumerateArray());
        Assert.Equal(PublicApiFixture.OtherProjectId, project.GetProperty("id").GetString());
        Assert.Equal("Other", project.GetProperty("name").GetString());
        Assert.Equal(JsonValueKindObject, project.GetProperty("organization").ValueKind);
        Assert.Equal(JsonValueKindObject, project.GetProperty("metadata").ValueKind);
    }

    [Fact]
    public async Task Projects_BearerPublicKeyOnly_Answers403()
    {
        using var client = fixture.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PublicApiFixture.PublicKey);

        using var response = await client.GetAsync("/api/public/projects");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Traces_KeyDeleted_RefusedWithinTheCacheSecond()
    {
        var (publicKey, secretKey) = ProjectApiKeys.Generate();
        var registry = fixture.Silo.Grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);
        var actor = new AuditActor("public-api-tests", "");
        Assert.True((await registry.CreateProjectKey(ProjectApiKeys.Define(publicKey, secretKey, DefaultProject.Id, null, DateTimeOffset.UtcNow), actor)).IsOk);
        using var client = fixture.Client(publicKey, secretKey);
        using (var before = await client.GetAsync("/api/public/traces?limit=1"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await registry.DeleteProjectKeys([publicKey], actor);
        var deleted = DateTime.UtcNow;
        HttpStatusCode status;
        do
        {
            using var after = await client.GetAsync("/api/public/traces?limit=1");
            status = after.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(50);
            }
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow - deleted < TimeSpan.FromSeconds(3));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(DateTime.UtcNow - deleted < TimeSpan.FromSeconds(2), "the deleted key kept working past the 1 s cache");
    }

    [Fact]
    public async Task PublicApi_ClusterUnreachable_Answers503()
    {
        // A port nothing listens on: the dashboard serves, its Orleans client keeps retrying.
        using var dashboard = HostProcess.StartDashboard(FreePorts.Next(), orleansGatewayPort: FreePorts.Next(), apiPort: FreePorts.Next());
        await dashboard.WaitUntilAliveAsync(TimeSpan.FromSeconds(60));
        dashboard.Http.DefaultRequestHeaders.Authorization = PublicApiFixture.Basic(PublicApiFixture.PublicKey, PublicApiFixture.SecretKey);

        using var traces = await dashboard.Http.GetAsync("/api/public/traces");
        using var ingestion = await dashboard.Http.PostAsync("/api/public/ingestion", LangfuseBatch.Content());
        using var health = await dashboard.Http.GetAsync("/api/public/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, traces.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ingestion.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("ServiceUnavailableError", (await LangfuseBatch.JsonAsync(traces)).GetProperty("error").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindObject = System.Text.Json.JsonValueKind.Object;
}
