using HotDash.Api.Management;
using HotDash.Grains;
using static HotDash.Api.Tests.Management.ManagementGateway;

namespace HotDash.Api.Tests.Management;

/// <summary>
/// <c>/project/*</c> and <c>/project/key/*</c> on the embedded registry: the answers' shapes, the secret shown once and
/// stored only as its hash, every bad input a 400 naming the field, the registry's refusals passed through, master key only.
/// </summary>
[Collection(ManagementCollection.Name)]
public sealed class ProjectEndpointsTests(ManagementFixture fixture)
{
    private ManagementGateway Gateway => fixture.Gateway;

    public static TheoryData<string, string> Endpoints => new()
    {
        { "POST", "/project/new" }, { "GET", "/project/list" }, { "GET", "/project/info?project_id=default" }, { "POST", "/project/delete" },
        { "POST", "/project/key/generate" }, { "GET", "/project/key/list" }, { "POST", "/project/key/delete" },
    };

    private async Task<string> ProjectAsync()
    {
        var id = Unique("proj");
        await Gateway.PostOkAsync("/project/new", $$"""{"project_id": "{{id}}", "name": "Project {{id}}"}""");
        return id;
    }

    private async Task<JsonElement> GenerateAsync(string projectId, string? note = null) =>
        await Gateway.PostOkAsync("/project/key/generate", note is null
            ? $$"""{"project_id": "{{projectId}}"}"""
            : $$"""{"project_id": "{{projectId}}", "note": "{{note}}"}""");

    [Fact]
    public async Task New_IdAndName_AnswersTheProjectAndListsIt()
    {
        var id = Unique("proj");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var json = await Gateway.PostOkAsync("/project/new", $$"""{"project_id": "{{id}}", "name": "  Checkout  "}""");

        Assert.Equal(["project_id", "name", "created_at"], Json.Names(json));
        Assert.Equal((id, "Checkout"), (json.GetProperty("project_id").GetString(), json.GetProperty("name").GetString()));
        Assert.True(DateTimeOffset.Parse(json.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= before);
        var list = await Gateway.GetOkAsync("/project/list");
        Assert.Contains(list.GetProperty("projects").EnumerateArray(), p => p.GetProperty("project_id").GetString() == id);
        Assert.Contains(list.GetProperty("projects").EnumerateArray(), p => p.GetProperty("project_id").GetString() == DefaultProject.Id);
        Assert.Equal("Checkout", (await Gateway.Registry.GetProject(id))?.Name);
    }

    [Fact]
    public async Task New_WithoutProjectId_GetsANewId()
    {
        var first = await Gateway.PostOkAsync("/project/new", """{"name": "No id"}""");
        var second = await Gateway.PostOkAsync("/project/new", """{"name": "No id", "project_id": null}""");

        var id = first.GetProperty("project_id").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(id));
        Assert.NotEqual(id, second.GetProperty("project_id").GetString());
        Assert.NotNull(await Gateway.Registry.GetProject(id));
    }

    [Theory]
    [InlineData("""{"project_id": "p-x"}""", "name")]
    [InlineData("""{"name": "   "}""", "name")]
    [InlineData("""{"name": 5}""", "name")]
    [InlineData("""{"name": "a\nb"}""", "name")]
    [InlineData("""{"name": "ok", "project_id": 7}""", "project_id")]
    [InlineData("""{"name": "ok", "project_id": "has space"}""", "project_id")]
    [InlineData("""{"name": "ok", "project_id": ""}""", "project_id")]
    [InlineData("""[1]""", null)]
    [InlineData("""{"name": """, null)]
    public async Task New_BadInput_Is400NamingTheField(string body, string? param)
    {
        await Gateway.PostErrorAsync("/project/new", body, HttpStatusCode.BadRequest, param);
    }

    [Fact]
    public async Task New_IdTaken_Is400NamingProjectIdAndKeepsTheFirst()
    {
        var id = await ProjectAsync();

        var error = await Gateway.PostErrorAsync("/project/new", $$"""{"project_id": "{{id}}", "name": "Other"}""", HttpStatusCode.BadRequest, "project_id");

        Assert.Contains("already exists", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal($"Project {id}", (await Gateway.Registry.GetProject(id))!.Name);
    }

    [Fact]
    public async Task KeyGenerate_Project_AnswersTheSecretOnceAndStoresOnlyItsHash()
    {
        var id = await ProjectAsync();

        var json = await GenerateAsync(id, "ci runner");

        Assert.Equal(["public_key", "secret_key", "display_secret_key", "project_id", "note", "created_at"], Json.Names(json));
        var publicKey = json.GetProperty("public_key").GetString()!;
        var secret = json.GetProperty("secret_key").GetString()!;
        Assert.Matches("^pk-lf-[A-Za-z0-9_-]{32}$", publicKey);
        Assert.Matches("^sk-lf-[A-Za-z0-9_-]{32}$", secret);
        Assert.Equal("sk-lf-..." + secret[^4..], json.GetProperty("display_secret_key").GetString());
        Assert.Equal((id, "ci runner"), (json.GetProperty("project_id").GetString(), json.GetProperty("note").GetString()));
        var stored = (await Gateway.Registry.GetProjectKey(publicKey))!;
        Assert.Equal(ProjectApiKeys.HashSecret(secret), stored.SecretHash);
        Assert.True(ProjectApiKeys.SecretMatches((await Gateway.Grains.GetGrain<IProjectKeyGrain>(publicKey).Get())!, secret));

        using var list = await Gateway.Client.GetAsync($"/project/key/list?project_id={id}");
        var listed = await list.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(stored.SecretHash, listed, StringComparison.Ordinal);
        var only = Assert.Single(JsonDocument.Parse(listed).RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(["public_key", "display_secret_key", "project_id", "note", "created_at"], Json.Names(only));
        Assert.Equal(publicKey, only.GetProperty("public_key").GetString());
    }

    [Fact]
    public async Task KeyGenerate_TwoKeys_AreDifferentAndNoteIsNullWhenLeftOut()
    {
        var id = await ProjectAsync();

        var a = await GenerateAsync(id);
        var b = await GenerateAsync(id);

        Assert.NotEqual(a.GetProperty("public_key").GetString(), b.GetProperty("public_key").GetString());
        Assert.NotEqual(a.GetProperty("secret_key").GetString(), b.GetProperty("secret_key").GetString());
        Assert.Equal(JsonValueKind.Null, a.GetProperty("note").ValueKind);
        Assert.Equal(2, (await Gateway.Registry.ListProjectKeys(id)).Length);
    }

    [Theory]
    [InlineData("""{}""", "project_id")]
    [InlineData("""{"project_id": null}""", "project_id")]
    [InlineData("""{"project_id": 3}""", "project_id")]
    [InlineData("""{"project_id": "default", "note": 4}""", "note")]
    [InlineData("""{"project_id": "no-such-project-anywhere"}""", "project_id")]
    public async Task KeyGenerate_BadInput_Is400NamingTheField(string body, string param)
    {
        await Gateway.PostErrorAsync("/project/key/generate", body, HttpStatusCode.BadRequest, param);
    }

    [Fact]
    public async Task Info_ProjectWithAKey_AnswersItsKeysWithoutSecrets()
    {
        var id = await ProjectAsync();
        var key = await GenerateAsync(id);

        var info = await Gateway.GetOkAsync($"/project/info?project_id={id}");

        Assert.Equal(["project_id", "name", "created_at", "api_keys"], Json.Names(info));
        var only = Assert.Single(info.GetProperty("api_keys").EnumerateArray());
        Assert.Equal(key.GetProperty("public_key").GetString(), only.GetProperty("public_key").GetString());
        Assert.False(only.TryGetProperty("secret_key", out _));
        await Gateway.GetErrorAsync("/project/info", HttpStatusCode.BadRequest, "project_id");
        await Gateway.GetErrorAsync($"/project/info?project_id={Unique("none")}", HttpStatusCode.NotFound, "project_id");
    }

    [Fact]
    public async Task KeyList_NoProject_ListsEveryProjectsKeysAndAnUnknownProjectIs404()
    {
        var (a, b) = (await ProjectAsync(), await ProjectAsync());
        var ka = (await GenerateAsync(a)).GetProperty("public_key").GetString();
        var kb = (await GenerateAsync(b)).GetProperty("public_key").GetString();

        var all = (await Gateway.GetOkAsync("/project/key/list")).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("public_key").GetString()).ToList();
        var onlyA = (await Gateway.GetOkAsync($"/project/key/list?project_id={a}")).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("public_key").GetString());

        Assert.Contains(ka, all);
        Assert.Contains(kb, all);
        Assert.Equal([ka], onlyA);
        await Gateway.GetErrorAsync($"/project/key/list?project_id={Unique("none")}", HttpStatusCode.NotFound, "project_id");
    }

    [Fact]
    public async Task KeyDelete_ExistingKey_DeletesItAndTheGrainForgetsIt()
    {
        var id = await ProjectAsync();
        var publicKey = (await GenerateAsync(id)).GetProperty("public_key").GetString()!;

        var json = await Gateway.PostOkAsync("/project/key/delete", $$"""{"public_keys": ["{{publicKey}}"]}""");

        Assert.Equal([publicKey], json.GetProperty("deleted_keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Null(await Gateway.Grains.GetGrain<IProjectKeyGrain>(publicKey).Get());
        await Gateway.PostErrorAsync("/project/key/delete", $$"""{"public_keys": ["{{publicKey}}"]}""", HttpStatusCode.NotFound, "public_keys");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"public_keys": []}""")]
    [InlineData("""{"public_keys": "pk-lf-1"}""")]
    [InlineData("""{"public_keys": [1]}""")]
    [InlineData("""{"public_keys": ["sk-lf-a-secret-by-mistake"]}""")]
    public async Task KeyDelete_BadInput_Is400NamingPublicKeys(string body)
    {
        var error = await Gateway.PostErrorAsync("/project/key/delete", body, HttpStatusCode.BadRequest, "public_keys");

        Assert.DoesNotContain("sk-lf-a-secret", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ProjectWithKeys_DeletesThemAllAndTheirGrainsForgetThem()
    {
        var id = await ProjectAsync();
        var publicKey = (await GenerateAsync(id)).GetProperty("public_key").GetString()!;
        Assert.NotNull(await Gateway.Grains.GetGrain<IProjectKeyGrain>(publicKey).Get());

        var json = await Gateway.PostOkAsync("/project/delete", $$"""{"project_ids": ["{{id}}"]}""");

        Assert.Equal([id], json.GetProperty("deleted_projects").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal([publicKey], json.GetProperty("deleted_public_keys").EnumerateArray().Select(p => p.GetString()));
        Assert.Null(await Gateway.Registry.GetProject(id));
        Assert.Null(await Gateway.Grains.GetGrain<IProjectKeyGrain>(publicKey).Get());
    }

    [Fact]
    public async Task Delete_DefaultOrUnknownOrNothing_IsRefusedNamingProjectIds()
    {
        var id = await ProjectAsync();

        await Gateway.PostErrorAsync("/project/delete", """{"project_ids": ["default"]}""", HttpStatusCode.BadRequest, "project_ids");
        await Gateway.PostErrorAsync("/project/delete", $$"""{"project_ids": ["{{id}}", "{{Unique("none")}}"]}""", HttpStatusCode.NotFound, "project_ids");
        await Gateway.PostErrorAsync("/project/delete", """{"project_ids": []}""", HttpStatusCode.BadRequest, "project_ids");
        await Gateway.PostErrorAsync("/project/delete", """{"project_ids": "x"}""", HttpStatusCode.BadRequest, "project_ids");

        Assert.NotNull(await Gateway.Registry.GetProject(id));
        Assert.NotNull(await Gateway.Registry.GetProject(DefaultProject.Id));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithoutTheMasterKey_Is401(string method, string path)
    {
        foreach (var bearer in new string?[] { null, "sk-not-the-master-key" })
        {
            using var client = Gateway.CreateAnonymousClient();
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = JsonBody.Of("""{"name": "x", "project_id": "default"}""");
            }
            if (bearer is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
            }

            using var response = await client.SendAsync(request);

            await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key");
        }
        Assert.Empty(await Gateway.Registry.ListProjectKeys(DefaultProject.Id));
    }
}
