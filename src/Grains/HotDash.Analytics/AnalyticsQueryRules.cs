namespace HotDash.Analytics;

/// <summary>
/// What both stores decide the same way before they write their own SQL: the column a trace list is ordered by, the
/// score value comparison, and where a page starts. One place, so the two stores cannot drift apart.
/// </summary>
internal static class AnalyticsQueryRules
{
    /// <summary>The column for Langfuse's <c>orderBy</c>; only names from this fixed map ever reach the SQL.</summary>
    public static string TraceOrderColumn(string? orderBy) => orderBy switch
    {
        null or "" or "timestamp" => "timestamp",
        "name" => "name",
        "userId" => "user_id",
        "release" => "release",
        "version" => "version",
        "public" => "public",
        "bookmarked" => "bookmarked",
        "sessionId" => "session_id",
        "id" => "id",
        _ => throw new ArgumentException($"traces cannot be ordered by '{orderBy}'", nameof(orderBy)),
    };

    /// <summary>The SQL comparison for Langfuse's score <c>operator</c> (default <c>=</c>).</summary>
    public static string ScoreOperator(string? op) => op switch
    {
        null or "" or "=" => "=",
        "<" or ">" or "<=" or ">=" or "!=" => op,
        _ => throw new ArgumentException($"unknown score value operator '{op}'", nameof(op)),
    };

    /// <summary>Rows to skip and rows to take for a 1-based page (a page below 1 is page 1, a negative limit 0).</summary>
    public static (long Offset, int Size) Page(int page, int limit)
    {
        var size = Math.Max(0, limit);
        return ((Math.Max(1L, page) - 1) * size, size);
    }
}
