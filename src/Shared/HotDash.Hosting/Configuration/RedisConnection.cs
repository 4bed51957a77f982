using System.Globalization;

namespace HotDash.Hosting.Configuration;

/// <summary>Turns <c>redis://</c> URLs and host/port/password into StackExchange.Redis connection strings.</summary>
public static class RedisConnection
{
    /// <summary>
    /// <c>redis://[user:password@]host[:port][/db]</c> or <c>rediss://</c> (TLS). A plain
    /// <c>host:port,...</c> StackExchange.Redis string is taken as it is.
    /// </summary>
    public static string FromUrl(string url, string keyPath)
    {
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            return url.Contains("abortConnect", StringComparison.OrdinalIgnoreCase) ? url : url + ",abortConnect=false";
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || uri.Host.Length == 0)
        {
            throw new ConfigException(keyPath, "must be a redis:// or rediss:// URL (redis://[:password@]host:port[/db])");
        }
        var parts = new List<string> { $"{uri.Host}:{(uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port)}" };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            var user = Uri.UnescapeDataString(colon < 0 ? "" : uri.UserInfo[..colon]);
            var password = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[(colon + 1)..]);
            if (user.Length > 0 && user != "default")
            {
                parts.Add($"user={user}");
            }
            if (password.Length > 0)
            {
                parts.Add($"password={password}");
            }
        }
        var db = uri.AbsolutePath.Trim('/');
        if (db.Length > 0)
        {
            if (!int.TryParse(db, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new ConfigException(keyPath, $"the database \"{db}\" in the URL must be a number");
            }
            parts.Add($"defaultDatabase={n}");
        }
        if (uri.Scheme == "rediss")
        {
            parts.Add("ssl=true");
        }
        parts.Add("abortConnect=false");
        return string.Join(',', parts);
    }

    /// <summary>A connection string from separate host, port and password settings.</summary>
    public static string FromParts(string host, int port, string? password) =>
        password is { Length: > 0 } ? $"{host}:{port},password={password},abortConnect=false" : $"{host}:{port},abortConnect=false";
}
