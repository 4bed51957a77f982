using System.Security.Cryptography;
using System.Text;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Primitives;

namespace HotDash.Api.Gateway;

/// <summary>
/// Checks the caller's key against the master key in constant time, and names any other key by its hash for
/// the cluster to admit. Keys come as LiteLLM accepts them: <c>Authorization: Bearer</c>, <c>x-litellm-api-key</c>
/// or <c>api-key</c>.
/// </summary>
internal sealed class MasterKeyAuth(HotDashConfig config)
{
    // Comparing fixed-size digests keeps the time independent of where, and whether, lengths differ.
    private readonly byte[]? masterDigest = config.MasterKey is { } k ? SHA256.HashData(Encoding.UTF8.GetBytes(k)) : null;

    public bool IsOpen => masterDigest is null;

    /// <summary>True for the master key, or for anyone when no master key is configured.</summary>
    public bool IsAuthorized(HttpRequest request) => masterDigest is null || Authenticate(request).Kind == CallerKind.Master;

    /// <summary>
    /// Classifies the request's key without any cluster call: the master key (or an open gateway) is unlimited;
    /// with a master key configured, a key not starting with <c>sk-</c> is refused (<see cref="CallerKind.Missing"/>
    /// with a <see cref="Caller.Rejection"/>); any other key is a virtual key to admit, named by its SHA-256 hash (the same digest the master key is
    /// compared by, so the master-key path hashes nothing extra).
    /// </summary>
    public Caller Authenticate(HttpRequest request)
    {
        var key = PresentedKey(request.Headers);
        if (key.Length == 0)
        {
            return masterDigest is null ? Caller.Open : Caller.Missing;
        }
        if (masterDigest is null && !key.StartsWith("sk-", StringComparison.Ordinal))
        {
            return Caller.Open; // an open gateway only checks what can be a virtual key
        }
        Span<byte> digest = stackalloc byte[32];
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        var bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var n = Encoding.UTF8.GetBytes(key, bytes);
        SHA256.HashData(bytes[..n], digest);
        if (masterDigest is not null && CryptographicOperations.FixedTimeEquals(digest, masterDigest))
        {
            return Caller.Master;
        }
        if (!key.StartsWith("sk-", StringComparison.Ordinal))
        {
            // Refused here, as LiteLLM does: a junk key must not cost a key grain and a registry read.
            return Caller.Missing with { Rejection = NotAVirtualKey(key) };
        }
        return new Caller(CallerKind.VirtualKey, Convert.ToHexStringLower(digest), masterDigest is null);
    }

    /// <summary>LiteLLM's 401 message for a key that cannot be a virtual key; only a few of its first characters are shown.</summary>
    internal static string NotAVirtualKey(ReadOnlySpan<char> key)
    {
        var shown = Math.Min(4, key.Length / 4);
        if (shown > 0 && char.IsHighSurrogate(key[shown - 1]))
        {
            shown--; // never half a character
        }
        return $"Authentication Error, LiteLLM Virtual Key expected. Received={key[..shown]}****..., expected to start with 'sk-'.";
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
