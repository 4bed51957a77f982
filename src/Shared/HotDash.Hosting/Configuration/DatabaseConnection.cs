using System.Globalization;
using Npgsql;

namespace HotDash.Hosting.Configuration;

/// <summary>
/// Turns the <c>DATABASE_URL</c> LiteLLM users have (<c>postgresql://user:password@host:port/db?sslmode=require</c>,
/// libpq's and Prisma's form) into an Npgsql connection string. An Npgsql <c>Key=Value;...</c> string is checked
/// and taken as it is.
/// </summary>
public static class DatabaseConnection
{
    private const int DefaultPort = 5432;

    // Prisma's own URL parameters (LiteLLM runs on Prisma): no Npgsql meaning, or one HotDash sets itself.
    private static readonly HashSet<string> PrismaParameters =
        ["schema", "pool_timeout", "socket_timeout", "statement_cache_size", "sslaccept", "sslidentity", "sslcert_password"];

    /// <summary>Converts <paramref name="value"/>; a malformed one throws <see cref="ConfigException"/> naming <paramref name="keyPath"/> (never the password).</summary>
    public static DatabaseTarget FromUrl(string value, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return FromKeyValue(text, keyPath);
        }
        if (text[..scheme].ToLowerInvariant() is not ("postgresql" or "postgres"))
        {
            throw new ConfigException(keyPath, $"must be a postgresql:// URL (postgresql://user:password@host:5432/db) or an Npgsql connection string (Host=...;Database=...), not a {text[..scheme]}:// URL");
        }
        return FromPostgresUrl(text[(scheme + 3)..], keyPath);
    }

    private static DatabaseTarget FromKeyValue(string text, string keyPath)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            // Npgsql names the keyword ("Keyword not supported: 'x'"), not the value.
            throw new ConfigException(keyPath, $"is neither a postgresql:// URL nor a valid Npgsql connection string ({e.Message})");
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ConfigException(keyPath, "names no Host (Host=...;Database=...)");
        }
        return new DatabaseTarget(builder.ConnectionString, Endpoint(builder), []);
    }

    private static DatabaseTarget FromPostgresUrl(string rest, string keyPath)
    {
        // Userinfo ends at the last '@': passwords with an unescaped '@' are common in the wild.
        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            user = Decode(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Decode(userInfo[(colon + 1)..]);
        }
        var queryStart = rest.IndexOf('?');
        var query = queryStart < 0 ? "" : rest[(queryStart + 1)..];
        rest = queryStart < 0 ? rest : rest[..queryStart];
        var slash = rest.IndexOf('/');
        var hostList = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? null : Decode(rest[(slash + 1)..]);

        var builder = new NpgsqlConnectionStringBuilder();
        var hosts = ParseHosts(hostList, keyPath);
        var ignored = new List<string>();
        string? hostOverride = null, portOverride = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Decode(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            var v = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            switch (name)
            {
                case "sslmode":
                    builder.SslMode = v.ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new ConfigException(keyPath, $"sslmode must be disable, allow, prefer, require, verify-ca or verify-full, not \"{v}\""),
                    };
                    break;
                case "connect_timeout":
                    builder.Timeout = Number(v, name, keyPath, 0, 1024);
                    break;
                case "connection_limit":
                    builder.MaxPoolSize = Number(v, name, keyPath, 1, 1024);
                    break;
                case "application_name":
                    builder.ApplicationName = v;
                    break;
                case "options":
                    builder.Options = v;
                    break;
                case "sslrootcert":
                    builder.RootCertificate = v;
                    break;
                case "sslcert":
                    builder.SslCertificate = v;
                    break;
                case "sslkey":
                    builder.SslKey = v;
                    break;
                case "sslpassword":
                    builder.SslPassword = v;
                    break;
                case "target_session_attrs":
                    builder.TargetSessionAttributes = v;
                    break;
                case "pgbouncer":
                    // Prisma's switch for PgBouncer in transaction mode: no session state may be assumed.
                    builder.NoResetOnClose = v is "true" or "1";
                    break;
                case "host":
                    hostOverride = v;
                    break;
                case "port":
                    portOverride = v;
                    break;
                case "user":
                    user = v;
                    break;
                case "password":
                    password = v;
                    break;
                case "dbname":
                    database = v;
                    break;
                default:
                    ignored.Add(PrismaParameters.Contains(name) ? $"{name} (a Prisma setting)" : name);
                    break;
            }
        }
        if (hostOverride is not null)
        {
            hosts = ParseHosts(hostOverride, keyPath);
        }
        if (hosts.Count == 0)
        {
            throw new ConfigException(keyPath, "names no host (postgresql://user:password@host:5432/db)");
        }
        if (portOverride is not null)
        {
            var p = Number(portOverride, "port", keyPath, 1, 65535);
            hosts = hosts.Select(h => (h.Host, (int?)p)).ToList();
        }
        if (hosts.Count == 1)
        {
            builder.Host = hosts[0].Host;
            builder.Port = hosts[0].Port ?? DefaultPort;
        }
        else
        {
            // Npgsql's multi-host form: Host=a:5432,b:5433.
            builder.Host = string.Join(',', hosts.Select(h => $"{HostText(h.Host)}:{h.Port ?? DefaultPort}"));
        }
        if (!string.IsNullOrEmpty(user))
        {
            builder.Username = user;
        }
        if (!string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }
        if (!string.IsNullOrEmpty(database))
        {
            builder.Database = database;
        }
        return new DatabaseTarget(builder.ConnectionString, Endpoint(builder), ignored);
    }

    // host[:port],host[:port],... with IPv6 in brackets ([::1]:5432).
    private static List<(string Host, int? Port)> ParseHosts(string list, string keyPath)
    {
        var hosts = new List<(string, int?)>();
        foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string host;
            string? port = null;
            if (item.StartsWith('['))
            {
                var close = item.IndexOf(']');
                if (close < 0)
                {
                    throw new ConfigException(keyPath, $"the host \"{item}\" has an unclosed [");
                }
                host = item[1..close];
                var after = item[(close + 1)..];
                if (after.Length > 0)
                {
                    port = after.StartsWith(':') ? after[1..] : throw new ConfigException(keyPath, $"the host \"{item}\" is malformed");
                }
            }
            else
            {
                var colon = item.LastIndexOf(':');
                host = colon < 0 ? item : item[..colon];
                port = colon < 0 ? null : item[(colon + 1)..];
            }
            host = Decode(host);
            if (host.Length == 0)
            {
                throw new ConfigException(keyPath, "names no host (postgresql://user:password@host:5432/db)");
            }
            hosts.Add((host, port is null or "" ? null : Number(port, "port", keyPath, 1, 65535)));
        }
        return hosts;
    }

    private static int Number(string v, string name, string keyPath, int min, int max) =>
        int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ConfigException(keyPath, $"the {name} must be a whole number from {min} to {max}, not \"{v}\"");

    private static string Decode(string s) => Uri.UnescapeDataString(s);

    private static string HostText(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    private static string Endpoint(NpgsqlConnectionStringBuilder b)
    {
        var host = b.Host ?? "";
        var where = host.Contains(',', StringComparison.Ordinal) || host.StartsWith('/') ? host : $"{HostText(host)}:{b.Port}";
        return b.Database is { Length: > 0 } db ? $"{where}/{db}" : where;
    }
}
