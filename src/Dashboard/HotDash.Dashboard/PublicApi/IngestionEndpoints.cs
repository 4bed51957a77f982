using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Dashboard.PublicApi.Ingestion;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// <c>POST /api/public/ingestion</c> (Langfuse SDK batches) and <c>POST /api/public/scores</c>: parsed in this process,
/// then handed to the trace aggregator, which answers once the events are archived and accepted by their writers. So a
/// 201 in the answer means stored; when the aggregator fails every accepted event is answered 500 instead, and the SDKs
/// send the batch again (re-sent events are idempotent).
/// </summary>
internal static class IngestionEndpoints
{
    public static async Task<IResult> IngestAsync(PublicApiCall call)
    {
        var body = await RequestBody.ReadAsync(call.Request, RequestBody.IngestionLimit, allowGzip: true, call.Aborted);
        if (!body.Ok)
        {
            return BodyError(body);
        }
        var parsed = LangfuseIngestionParser.Parse(body.Body, call.ProjectId, call.Time.GetUtcNow().ToUnixTimeMilliseconds());
        if (parsed.IsBadRequest)
        {
            return new LangfuseJsonResult(StatusCodes.Status400BadRequest, w =>
            {
                w.WriteStartObject();
                w.WriteString("message", parsed.Message ?? "Invalid request data");
                LangfuseJson.WriteStrings(w, "errors", parsed.RequestErrors);
                w.WriteEndObject();
            });
        }

        var successes = parsed.Successes;
        var errors = parsed.Errors.ToList();
        var events = parsed.Events;
        if (call.Access == PublicApiAccess.Scores)
        {
            // The public key alone may create scores only (Langfuse's "scores" access level): the rest is refused per event.
            (successes, events) = KeepScores(successes, events, errors);
        }
        if (!events.IsEmpty)
        {
            try
            {
                await call.Grains.GetGrain<ITraceAggregatorGrain>(ITraceAggregatorGrain.DefaultKey).Add(events);
            }
            catch (Exception e) when (e is not OperationCanceledException || !call.Aborted.IsCancellationRequested)
            {
                PublicApiLog.IngestionNotStored(call.Logger, successes.Length, call.ProjectId, e.Message);
                foreach (var success in successes)
                {
                    errors.Add(new IngestionEventError(success.Id, StatusCodes.Status500InternalServerError,
                        "Event not stored: the trace pipeline did not accept it; send it again", "Internal Server Error"));
                }
                successes = [];
            }
        }
        return new LangfuseJsonResult(StatusCodes.Status207MultiStatus, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("successes");
            foreach (var success in successes)
            {
                w.WriteStartObject();
                w.WriteString("id", success.Id);
                w.WriteNumber("status", success.Status);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("errors");
            foreach (var error in errors)
            {
                w.WriteStartObject();
                w.WriteString("id", error.Id);
                w.WriteNumber("status", error.Status);
                w.WriteString("message", error.Message);
                w.WriteString("error", error.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary><c>POST /api/public/scores</c>: one score, answered <c>{"id"}</c> once stored.</summary>
    public static async Task<IResult> CreateScoreAsync(PublicApiCall call)
    {
        var body = await RequestBody.ReadAsync(call.Request, RequestBody.IngestionLimit, allowGzip: true, call.Aborted);
        if (!body.Ok)
        {
            return BodyError(body);
        }
        ScoreParseResult parsed;
        try
        {
            using var document = JsonDocument.Parse(body.Body);
            parsed = LangfuseIngestionParser.ParseScore(document.RootElement, call.ProjectId, call.Time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (JsonException e)
        {
            return PublicApiErrors.InvalidRequest($"Invalid request data: the body is not JSON ({e.Message})");
        }
        if (parsed.Event is not { Score: { } score } scoreEvent)
        {
            return new LangfuseJsonResult(StatusCodes.Status400BadRequest, w =>
            {
                w.WriteStartObject();
                w.WriteString("message", parsed.Error ?? "Invalid request data");
                w.WriteEndObject();
            });
        }
        // A cluster failure here becomes the runner's 503, so the caller knows the score was not stored.
        await call.Grains.GetGrain<ITraceAggregatorGrain>(ITraceAggregatorGrain.DefaultKey).Add([scoreEvent]);
        return new LangfuseJsonResult(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", score.Id);
            w.WriteEndObject();
        });
    }

    internal static IResult BodyError(RequestBodyResult body) => body.Status switch
    {
        StatusCodes.Status413PayloadTooLarge => PublicApiErrors.PayloadTooLarge(body.Error!),
        _ => PublicApiErrors.Error(body.Status, "InvalidRequestError", body.Error!),
    };

    private static (ImmutableArray<IngestionEventSuccess>, ImmutableArray<TraceEvent>) KeepScores(
        ImmutableArray<IngestionEventSuccess> successes, ImmutableArray<TraceEvent> events, List<IngestionEventError> errors)
    {
        var scoreIds = events.Where(e => e.Type == TraceEventTypes.ScoreCreate).Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        var kept = ImmutableArray.CreateBuilder<IngestionEventSuccess>();
        foreach (var success in successes)
        {
            if (scoreIds.Contains(success.Id))
            {
                kept.Add(success);
            }
            else
            {
                errors.Add(new IngestionEventError(success.Id, StatusCodes.Status401Unauthorized, "Authentication error", "Access Scope Denied"));
            }
        }
        return (kept.ToImmutable(), [.. events.Where(e => e.Type == TraceEventTypes.ScoreCreate)]);
    }
}
