using System.Security.Cryptography;
using System.Text;

namespace HotDash.Api.Management;

/// <summary>
/// Virtual keys as LiteLLM makes them: <c>sk-</c> and random URL-safe characters, kept only as the SHA-256 of the key
/// (lower-case hex, LiteLLM's <c>token</c>) and a short visible form (<c>sk-...abcd</c>, LiteLLM's <c>key_name</c>).
/// </summary>
internal static class VirtualKeys
{
    public const string Prefix = "sk-";

    // 24 random bytes are 32 URL-safe base64 characters: 192 bits, more than LiteLLM's 128.
    private const int RandomBytes = 24;

    /// <summary>A new key: <c>sk-</c> and 32 random URL-safe characters.</summary>
    public static string Generate()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        return Prefix + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes, lower-case hex.</summary>
    public static string Hash(ReadOnlySpan<char> key)
    {
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        var bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var n = Encoding.UTF8.GetBytes(key, bytes);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes[..n], digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>The visible form LiteLLM stores: <c>sk-...</c> and the last four characters.</summary>
    public static string KeyName(string key) => $"sk-...{(key.Length >= 4 ? key[^4..] : key)}";

    /// <summary>True for a 64-character hex string, the form of a stored key hash.</summary>
    public static bool IsHash(string value)
    {
        if (value.Length != 64)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The hash a management call means by <paramref name="value"/>: an <c>sk-</c> key is hashed, a hash is taken as
    /// it is (LiteLLM accepts both); anything else is refused.
    /// </summary>
    public static bool TryToken(string value, out string token)
    {
        var v = value.Trim();
        if (v.StartsWith(Prefix, StringComparison.Ordinal) && v.Length > Prefix.Length)
        {
            token = Hash(v);
            return true;
        }
        if (IsHash(v))
        {
            token = v.ToLowerInvariant();
            return true;
        }
        token = "";
        return false;
    }

    /// <summary>Why a client-chosen key is refused, or <see langword="null"/> when it is a usable <c>sk-</c> key.</summary>
    public static string? Problem(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return "Invalid key format. LiteLLM Virtual Key must start with 'sk-'.";
        }
        if (key.Length == Prefix.Length)
        {
            return "key must have characters after 'sk-'.";
        }
        foreach (var c in key)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "key must not contain whitespace or control characters (it travels in an Authorization header).";
            }
        }
        return null;
    }
}
