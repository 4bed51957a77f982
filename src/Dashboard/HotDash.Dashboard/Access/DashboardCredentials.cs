using System.Security.Cryptography;
using System.Text;
using HotDash.Hosting.Configuration;

namespace HotDash.Dashboard.Access;

/// <summary>
/// The dashboard login, resolved as LiteLLM's UI does: <c>UI_USERNAME</c>/<c>UI_PASSWORD</c> (environment, or
/// <c>general_settings.ui_username</c>/<c>ui_password</c>), else the master key as the password of <c>admin</c>.
/// With neither a password nor a master key the dashboard is open.
/// </summary>
public sealed class DashboardCredentials
{
    /// <summary>The user name when none is configured, as in LiteLLM.</summary>
    public const string DefaultUsername = "admin";

    private readonly byte[] _usernameHash;
    private readonly byte[]? _passwordHash;

    /// <summary>Resolves the credentials from the environment/host configuration and the HotDash config.</summary>
    public DashboardCredentials(HotDashConfig config, IConfiguration configuration)
    {
        var raw = config.GeneralSettings.Raw;
        Username = NonEmpty(configuration["UI_USERNAME"]) ?? NonEmpty(RawString(raw, "ui_username")) ?? DefaultUsername;
        var uiPassword = NonEmpty(configuration["UI_PASSWORD"]) ?? NonEmpty(RawString(raw, "ui_password"));
        var password = uiPassword ?? NonEmpty(config.MasterKey);
        Source = uiPassword is not null ? "UI_PASSWORD" : password is not null ? "master key" : "none";
        _usernameHash = Hash(Username);
        _passwordHash = password is null ? null : Hash(password);
    }

    /// <summary>The user name that signs in.</summary>
    public string Username { get; }

    /// <summary>Where the password comes from: <c>UI_PASSWORD</c>, <c>master key</c> or <c>none</c>.</summary>
    public string Source { get; }

    /// <summary>True when no password and no master key is set: every page is reachable without a login.</summary>
    public bool IsOpen => _passwordHash is null;

    /// <summary>
    /// Checks a login in constant time: both parts are always compared (as fixed-length hashes, so the length
    /// leaks nothing either) and the result never says which part was wrong.
    /// </summary>
    public bool Verify(string? username, string? password)
    {
        if (_passwordHash is null)
        {
            return true;
        }
        var userOk = CryptographicOperations.FixedTimeEquals(Hash(username ?? ""), _usernameHash);
        var passwordOk = CryptographicOperations.FixedTimeEquals(Hash(password ?? ""), _passwordHash);
        return userOk & passwordOk;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    private static string? RawString(IReadOnlyDictionary<string, object?> raw, string key) =>
        raw.TryGetValue(key, out var value) ? value?.ToString() : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
