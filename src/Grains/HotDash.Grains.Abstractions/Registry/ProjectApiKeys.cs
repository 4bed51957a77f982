using System.Security.Cryptography;
using System.Text;

namespace HotDash.Grains;

/// <summary>
/// Langfuse project API keys as HotDash makes and checks them: a public key <c>pk-lf-...</c> (stored as it is) and a
/// secret key <c>sk-lf-...</c> (stored only as its SHA-256, lower-case hex, and a short visible form). One definition
/// for the management API, the headless init and the public API's Basic authentication.
/// </summary>
public static class ProjectApiKeys
{
    /// <summary>What every public key starts with.</summary>
    public const string PublicKeyPrefix = "pk-lf-";

    /// <summary>What every secret key starts with.</summary>
    public const string SecretKeyPrefix = "sk-lf-";

    // 24 random bytes are 32 URL-safe base64 characters (192 bits).
    private const int RandomBytes = 24;

    /// <summary>A new key pair: each prefix and 32 random URL-safe characters.</summary>
    public static (string PublicKey, string SecretKey) Generate() => (PublicKeyPrefix + Random(), SecretKeyPrefix + Random());

    /// <summary>True for <c>pk-lf-</c> followed by at least one character, none of them whitespace or control characters.</summary>
    public static bool IsPublicKey(string? value) => HasPrefix(value, PublicKeyPrefix);

    /// <summary>True for <c>sk-lf-</c> followed by at least one character, none of them whitespace or control characters.</summary>
    public static bool IsSecretKey(string? value) => HasPrefix(value, SecretKeyPrefix);

    /// <summary>SHA-256 of the secret key's UTF-8 bytes, lower-case hex (what <see cref="ProjectKeyDefinition.SecretHash"/> holds).</summary>
    public static string HashSecret(string secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secretKey)));
    }

    /// <summary>The secret's visible form, as Langfuse shows it: <c>sk-lf-...</c> and the last four characters.</summary>
    public static string DisplaySecret(string secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        var tail = secretKey.Length > SecretKeyPrefix.Length + 4 ? secretKey[^4..] : secretKey[Math.Min(SecretKeyPrefix.Length, secretKey.Length)..];
        return SecretKeyPrefix + "..." + tail;
    }

    /// <summary>A definition for a key pair: the public key, the secret's hash and visible form.</summary>
    public static ProjectKeyDefinition Define(string publicKey, string secretKey, string projectId, string? note, DateTimeOffset createdAt) =>
        new(publicKey, HashSecret(secretKey), DisplaySecret(secretKey), projectId, createdAt) { Note = note };

    /// <summary>True when <paramref name="secretKey"/> is the secret of <paramref name="key"/> (compared in constant time).</summary>
    public static bool SecretMatches(ProjectKeyDefinition key, string secretKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(secretKey);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashSecret(secretKey)), Encoding.ASCII.GetBytes(key.SecretHash));
    }

    private static bool HasPrefix(string? value, string prefix)
    {
        if (value is null || value.Length <= prefix.Length || !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }
        return true;
    }

    private static string Random()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        return Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
