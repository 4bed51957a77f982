using System.Security.Cryptography;
using System.Text;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Primitives;

namespace HotDash.Api.Gateway;

/// <summary>
/// Checks the caller's key against the master key in constant time. Keys come as LiteLLM accepts
/// them: <c>Authorization: Bearer</c>, <c>x-litellm-api-key</c> or <c>api-key</c>.
/// </summary>
internal sealed class MasterKeyAuth(HotDashConfig config)
{
    // Comparing fixed-size digests keeps the time independent of where, and whether, lengths differ.
    private readonly byte[]? masterDigest = config.MasterKey is { } k ? SHA256.HashData(Encoding.UTF8.GetBytes(k)) : null;

    public bool IsOpen => masterDigest is null;

    public bool IsAuthorized(HttpRequest request)
    {
        if (masterDigest is null)
        {
            return true;
        }
        var key = PresentedKey(request.Headers);
        if (key.Length == 0)
        {
            return false;
        }
        Span<byte> digest = stackalloc byte[32];
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        var bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var n = Encoding.UTF8.GetBytes(key, bytes);
        SHA256.HashData(bytes[..n], digest);
        return CryptographicOperations.FixedTimeEquals(digest, masterDigest);
    }

    internal static ReadOnlySpan<char> PresentedKey(IHeaderDictionary headers)
    {
        if (headers.TryGetValue("x-litellm-api-key", out var litellm) && !StringValues.IsNullOrEmpty(litellm))
        {
            return StripBearer(litellm.ToString());
        }
        if (headers.Authorization is { Count: > 0 } auth && !StringValues.IsNullOrEmpty(auth))
        {
            return StripBearer(auth.ToString());
        }
        if (headers.TryGetValue("api-key", out var apiKey) && !StringValues.IsNullOrEmpty(apiKey))
        {
            return apiKey.ToString().AsSpan().Trim();
        }
        return [];
    }

    private static ReadOnlySpan<char> StripBearer(string value)
    {
        var v = value.AsSpan().Trim();
        return v.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? v[7..].Trim() : v;
    }
}
