namespace HotDash.Analytics;

/// <summary>
/// An error ClickHouse reported over HTTP (<c>Code: N, e.displayText() = ...</c> on 18.16, <c>Code: N. DB::Exception: ...</c>
/// on current releases), carrying the server's error code so callers can tell e.g. a missing table (60) from a syntax error (62).
/// </summary>
public sealed class ClickHouseException(int code, string message, int httpStatus)
    : Exception($"ClickHouse error {code}: {message}")
{
    /// <summary>The ClickHouse error code (<c>Code: N</c>), or 0 when the response carried none.</summary>
    public int Code { get; } = code;

    /// <summary>The server's own message, without the code prefix.</summary>
    public string ServerMessage { get; } = message;

    /// <summary>The HTTP status of the failed response.</summary>
    public int HttpStatus { get; } = httpStatus;
}
