using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>
/// A <c>POST /api/public/scores</c> body: the <c>score-create</c> event to store (answer <c>{"id": Score.Id}</c>), or the
/// reason to answer 400 (<c>{"message": Error}</c>, Langfuse's shape).
/// </summary>
/// <param name="Event">The event, when the body is valid.</param>
/// <param name="Error">Why not, when it is not.</param>
public sealed record ScoreParseResult(TraceEvent? Event, string? Error)
{
    /// <summary>The score, when the body is valid.</summary>
    public ScoreRecord? Score => Event?.Score;
}
