using System.Security.Cryptography;
using System.Text;

namespace HotDash.Grains.Tests.Registry;

/// <summary>Builders for registry objects with ids unique per test (the tests share one registry).</summary>
internal static class RegistryTestData
{
    public static readonly AuditActor Admin = new("default_user_id", new string('a', 64));

    public static IRegistryGrain Registry(this IGrainFactory grains) => grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    public static ISpendLedgerGrain Ledger(this IGrainFactory grains) => grains.GetGrain<ISpendLedgerGrain>(ISpendLedgerGrain.DefaultKey);

    /// <summary>A ledger row for a request made with <paramref name="key"/> (its team and user as the gateway fills them in).</summary>
    public static SpendRow SpendOf(KeyDefinition key, decimal spend, DateTimeOffset at, string model = "gpt-4o") =>
        new(TestData.UniqueId("req"), key.Token, model + "-2024-08-06", spend, at, at.AddSeconds(1))
        {
            TeamId = key.TeamId,
            UserId = key.UserId,
            ModelGroup = model,
            CallType = "acompletion",
            PromptTokens = 10,
            CompletionTokens = 5,
        };

    public static IKeyGrain KeyGrain(this IGrainFactory grains, KeyDefinition key) => grains.GetGrain<IKeyGrain>(key.Token);

    /// <summary>A new <c>sk-</c> key and its definition (the hash of the key, its short form).</summary>
    public static (string Secret, KeyDefinition Definition) NewKey(string? teamId = null, string? userId = null)
    {
        var secret = "sk-" + Guid.NewGuid().ToString("N");
        return (secret, new KeyDefinition(Hash(secret)) { KeyName = $"sk-...{secret[^4..]}", TeamId = teamId, UserId = userId });
    }

    /// <summary>A new key's definition.</summary>
    public static KeyDefinition Key(string? teamId = null, string? userId = null) => NewKey(teamId, userId).Definition;

    public static TeamDefinition Team(params TeamMember[] members) =>
        new(TestData.UniqueId("team")) { Members = [.. members] };

    public static UserDefinition User() => new(TestData.UniqueId("user")) { UserEmail = "someone@example.com" };

    public static TeamMember Member(string userId, string role = "user") => new(userId, null, role);

    public static string[] Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static async Task<TeamDefinition> CreatedTeam(this IRegistryGrain registry, TeamDefinition? team = null)
    {
        team ??= Team();
        Assert.Equal(RegistryResult.Ok, await registry.CreateTeam(team, Admin));
        return team;
    }

    public static async Task<UserDefinition> CreatedUser(this IRegistryGrain registry, UserDefinition? user = null)
    {
        user ??= User();
        Assert.Equal(RegistryResult.Ok, await registry.CreateUser(user, null, Admin));
        return user;
    }

    public static async Task<KeyDefinition> CreatedKey(this IRegistryGrain registry, KeyDefinition key)
    {
        Assert.Equal(RegistryResult.Ok, await registry.CreateKey(key, Admin));
        return key;
    }
}
