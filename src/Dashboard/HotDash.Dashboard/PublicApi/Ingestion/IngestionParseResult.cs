using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>
/// The outcome of a <c>POST /api/public/ingestion</c> body. Either the whole request is refused
/// (<see cref="IsBadRequest"/>: answer 400 with <c>{"message": <see cref="Message"/>, "errors": <see cref="RequestErrors"/>}</c>,
/// Langfuse's shape), or it is answered 207 with <c>{"successes": <see cref="Successes"/>, "errors": <see cref="Errors"/>}</c>
/// once <see cref="Events"/> are stored.
/// </summary>
public sealed record IngestionParseResult
{
    /// <summary>The body is not JSON, not an object, or has no <c>batch</c> array.</summary>
    public bool IsBadRequest { get; init; }

    /// <summary>The 400 message (<c>Invalid request data</c>) when <see cref="IsBadRequest"/>.</summary>
    public string? Message { get; init; }

    /// <summary>The 400 details (zod-style issue messages) when <see cref="IsBadRequest"/>.</summary>
    public ImmutableArray<string> RequestErrors { get; init; } = [];

    /// <summary>Accepted events, in Langfuse's processing order (creates by timestamp, then updates by timestamp). <c>sdk-log</c> events are accepted but, as in Langfuse, not listed.</summary>
    public ImmutableArray<IngestionEventSuccess> Successes { get; init; } = [];

    /// <summary>Refused events, in batch order.</summary>
    public ImmutableArray<IngestionEventError> Errors { get; init; } = [];

    /// <summary>
    /// What to store, in processing order: one event per accepted batch item, plus a <c>trace-create</c> for each
    /// observation create that named no trace (the observation's own id becomes its trace id, Langfuse's wrapper trace).
    /// </summary>
    public ImmutableArray<TraceEvent> Events { get; init; } = [];

    /// <summary>A refused request.</summary>
    public static IngestionParseResult BadRequest(params string[] errors) =>
        new() { IsBadRequest = true, Message = "Invalid request data", RequestErrors = [.. errors] };
}
