namespace HotDash.Dashboard.Services.Traces;

/// <summary>The <c>/traces</c> query-string keys of a <see cref="TraceFilter"/> (and the field names of its errors).</summary>
public static class TraceFilterKeys
{
    /// <summary>The time range (<see cref="TimeRange"/> name, lower case).</summary>
    public const string Range = "range";

    /// <summary>Custom range start, UTC date or ISO instant.</summary>
    public const string From = "from";

    /// <summary>Custom range end (exclusive), UTC date or ISO instant.</summary>
    public const string To = "to";

    /// <summary>Trace name.</summary>
    public const string Name = "name";

    /// <summary>User id.</summary>
    public const string UserId = "userId";

    /// <summary>Session id.</summary>
    public const string SessionId = "sessionId";

    /// <summary>Tags, comma separated.</summary>
    public const string Tags = "tags";

    /// <summary>Environments, comma separated.</summary>
    public const string Environments = "env";

    /// <summary>Release.</summary>
    public const string Release = "release";

    /// <summary>Version.</summary>
    public const string Version = "version";

    /// <summary>Team id.</summary>
    public const string TeamId = "teamId";

    /// <summary>Key alias.</summary>
    public const string KeyAlias = "key";

    /// <summary>Model or model group.</summary>
    public const string Model = "model";

    /// <summary>Levels, comma separated (<c>ERROR,WARNING</c>).</summary>
    public const string Levels = "level";

    /// <summary>Minimum cost, dollars.</summary>
    public const string MinCost = "minCost";

    /// <summary>Maximum cost, dollars.</summary>
    public const string MaxCost = "maxCost";

    /// <summary>Minimum latency, seconds.</summary>
    public const string MinLatency = "minLatency";

    /// <summary>Maximum latency, seconds.</summary>
    public const string MaxLatency = "maxLatency";

    /// <summary>Text search in input and output.</summary>
    public const string Search = "q";

    /// <summary><c>asc</c> for oldest first.</summary>
    public const string Order = "order";

    /// <summary>Older links' name for <see cref="UserId"/>.</summary>
    public const string LegacyUser = "user";

    /// <summary>Older links' name for <see cref="SessionId"/>.</summary>
    public const string LegacySession = "session";
}
