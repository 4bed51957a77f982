using System.Net.Http.Headers;
using System.Security.Cryptography;
using HotDash.Grains;
using Orleans;

namespace HotDash.Api.Tests.Quotas;

/// <summary>
/// Makes keys, teams and users straight in the silo's registry (<see cref="IRegistryGrain"/>), each with a fresh id,
/// and sends requests with a virtual key.
/// </summary>
internal sealed class TestRegistry(GatewayFixture gateway)
{
    private static readonly AuditActor Actor = new("api-tests", "");

    private IRegistryGrain Registry => gateway.Grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    /// <summary>SHA-256 of the key, lower-case hex, as the registry stores it.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A new key shaped by <paramref name="shape"/>; returns the key itself (<c>sk-...</c>).</summary>
    public async Task<string> CreateKeyAsync(Func<KeyDefinition, KeyDefinition>? shape = null)
    {
        var key = "sk-test-" + Guid.NewGuid().ToString("n");
        var definition = new KeyDefinition(Hash(key)) { KeyName = "sk-..." + key[^4..], CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        var result = await Registry.CreateKey(shape is null ? definition : shape(definition), Actor);
        Assert.True(result.IsOk, $"CreateKey: {result.Status} {result.Message}");
        return key;
    }

    /// <summary>A new team shaped by <paramref name="shape"/>; returns its id.</summary>
    public async Task<string> CreateTeamAsync(Func<TeamDefinition, TeamDefinition>? shape = null)
    {
        var team = new TeamDefinition("team-" + Guid.NewGuid().ToString("n")[..12]) { CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        var result = await Registry.CreateTeam(shape is null ? team : shape(team), Actor);
        Assert.True(result.IsOk, $"CreateTeam: {result.Status} {result.Message}");
        return team.TeamId;
    }

    /// <summary>A new user shaped by <paramref name="shape"/>; returns its id.</summary>
    public async Task<string> CreateUserAsync(Func<UserDefinition, UserDefinition>? shape = null)
    {
        var user = new UserDefinition("user-" + Guid.NewGuid().ToString("n")[..12]) { CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        var result = await Registry.CreateUser(shape is null ? user : shape(user), null, Actor);
        Assert.True(result.IsOk, $"CreateUser: {result.Status} {result.Message}");
        return user.UserId;
    }

    /// <summary>The quota of the key as its grain has it now.</summary>
    public Task<QuotaStatus> KeyQuotaAsync(string key) => gateway.Grains.GetGrain<IQuotaGrain>(QuotaSubjects.Key(Hash(key))).GetStatus();

    /// <summary>Waits until the key's quota satisfies <paramref name="condition"/> (settlement and release are one-way).</summary>
    public async Task<QuotaStatus> KeyQuotaWhenAsync(string key, Func<QuotaStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await KeyQuotaAsync(key);
            if (condition(status))
            {
                return status;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the key's quota never reached the expected state: {status}");
            await Task.Delay(20);
        }
    }

    /// <summary>A client request to <paramref name="path"/> carrying <paramref name="key"/> as a bearer token.</summary>
    public static HttpRequestMessage Post(string key, string path, string json) => new(HttpMethod.Post, path)
    {
        Content = JsonBody.Of(json),
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
    };

    /// <summary>Sends a small chat request to <paramref name="model"/> with <paramref name="key"/>.</summary>
    public async Task<HttpResponseMessage> ChatAsync(string key, string model = "quota-chat", string extra = "", CancellationToken ct = default)
    {
        using var client = gateway.CreateAnonymousClient();
        using var request = Post(key, "/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello quota"}]{{extra}}}""");
        var response = await client.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response;
    }

    /// <summary>One header's single value, or null when absent.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? Assert.Single(values) : null;
}
