using System.Collections.Concurrent;
using System.Text;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// Langfuse's project API key authentication: HTTP Basic <c>pk-lf-...:sk-lf-...</c> opens the key's project; Bearer
/// with the public key alone opens score creation (Langfuse's <c>scores</c> access level). The key's definition comes
/// from its <see cref="IProjectKeyGrain"/> and is kept for <see cref="CacheLifetime"/> in this process ("no such key"
/// too), so a busy SDK costs one grain call a second, and a deleted or rotated key stops working within that second.
/// </summary>
public sealed class ProjectKeyAuthenticator(IClusterClient cluster, ClusterConnection connection, TimeProvider time)
{
    /// <summary>How long a looked-up definition (or its absence) is reused.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(1);

    // Beyond this many cached keys the expired ones are dropped, so random public keys cannot grow the cache without bound.
    private const int PruneAbove = 10_000;

    // Langfuse's wording (apiAuth.ts): the SDKs show it to users as it is.
    private const string HostHint = ". Confirm that you've configured the correct host.";

    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);

    /// <summary>Checks the <c>Authorization</c> header.</summary>
    public async ValueTask<ProjectAuthResult> AuthenticateAsync(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return ProjectAuthResult.Unauthorized("No authorization header");
        }
        if (authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            if (!TryParseBasic(authorization.AsSpan(6), out var publicKey, out var secretKey))
            {
                return ProjectAuthResult.Unauthorized("Invalid authorization header" + HostHint);
            }
            var (found, definition) = await LookupAsync(publicKey);
            if (!found)
            {
                return ProjectAuthResult.Unavailable(PublicApiErrors.ServiceUnavailableMessage);
            }
            if (definition is null || !ProjectApiKeys.SecretMatches(definition, secretKey))
            {
                return ProjectAuthResult.Unauthorized("Invalid credentials" + HostHint);
            }
            return ProjectAuthResult.Ok(definition.ProjectId, PublicApiAccess.Project);
        }
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            var publicKey = authorization[7..].Trim();
            if (publicKey.Length == 0)
            {
                return ProjectAuthResult.Unauthorized("Invalid public key" + HostHint);
            }
            var (found, definition) = await LookupAsync(publicKey);
            if (!found)
            {
                return ProjectAuthResult.Unavailable(PublicApiErrors.ServiceUnavailableMessage);
            }
            return definition is null
                ? ProjectAuthResult.Unauthorized("Invalid public key" + HostHint)
                : ProjectAuthResult.Ok(definition.ProjectId, PublicApiAccess.Scores);
        }
        return ProjectAuthResult.Unauthorized("Invalid authorization header");
    }

    private static bool TryParseBasic(ReadOnlySpan<char> encoded, out string publicKey, out string secretKey)
    {
        publicKey = secretKey = "";
        encoded = encoded.Trim();
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var written))
        {
            return false;
        }
        var credentials = Encoding.UTF8.GetString(bytes, 0, written);
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == credentials.Length - 1)
        {
            return false;
        }
        publicKey = credentials[..colon];
        secretKey = credentials[(colon + 1)..];
        return true;
    }

    /// <summary>The key's definition (<see langword="null"/>: no such key); <c>found</c> false when the cluster did not answer.</summary>
    private async ValueTask<(bool Found, ProjectKeyDefinition? Definition)> LookupAsync(string publicKey)
    {
        var now = time.GetTimestamp();
        if (_cache.TryGetValue(publicKey, out var cached) && time.GetElapsedTime(cached.At, now) < CacheLifetime)
        {
            return (true, cached.Definition);
        }
        if (connection.ConnectedGateways == 0)
        {
            return (false, null);
        }
        ProjectKeyDefinition? definition;
        try
        {
            definition = await cluster.GetGrain<IProjectKeyGrain>(publicKey).Get();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return (false, null);
        }
        if (_cache.Count >= PruneAbove)
        {
            Prune(now);
        }
        _cache[publicKey] = new CachedKey(definition, now);
        return (true, definition);
    }

    private void Prune(long now)
    {
        foreach (var (key, entry) in _cache)
        {
            if (time.GetElapsedTime(entry.At, now) >= CacheLifetime)
            {
                _cache.TryRemove(key, out _);
            }
        }
    }

    private sealed record CachedKey(ProjectKeyDefinition? Definition, long At);
}
