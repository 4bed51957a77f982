using System.Collections.Immutable;
using HotDash.Dashboard.PublicApi.Otel;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// <c>POST /api/public/otel/v1/traces</c>: an OTLP/HTTP trace export (<c>application/json</c> or
/// <c>application/x-protobuf</c>, optionally gzip), mapped to Langfuse observations and handed to the trace
/// aggregator. Answered as OTLP/HTTP expects: 200 with an empty <c>ExportTraceServiceResponse</c> in the request's
/// encoding (<c>{}</c>, or zero protobuf bytes), 400 for an export that cannot be read (not retried), 503 when the
/// events could not be stored (retried by exporters).
/// </summary>
internal static class OtelEndpoints
{
    /// <summary>The largest export accepted, before and after gzip: an exporter's batch of large generations fits.</summary>
    public const int ExportLimit = 32 * 1024 * 1024;

    public static async Task<IResult> ExportAsync(PublicApiCall call)
    {
        var contentType = call.Request.ContentType?.ToLowerInvariant() ?? "";
        var protobuf = contentType.Contains("application/x-protobuf", StringComparison.Ordinal);
        if (!protobuf && !contentType.Contains("application/json", StringComparison.Ordinal))
        {
            return Refused(StatusCodes.Status400BadRequest, "Invalid content type");
        }
        var body = await RequestBody.ReadAsync(call.Request, ExportLimit, allowGzip: true, call.Aborted);
        if (!body.Ok)
        {
            return Refused(body.Status, body.Error!);
        }
        ImmutableArray<TraceEvent> events;
        try
        {
            var spans = protobuf ? OtlpTraceParser.ParseProtobuf(body.Body.Span) : OtlpTraceParser.ParseJson(body.Body.Span);
            events = OtelSpanMapper.Map(spans, call.ProjectId);
        }
        catch (OtlpParseException e)
        {
            return Refused(StatusCodes.Status400BadRequest, e.Message);
        }
        if (!events.IsEmpty)
        {
            try
            {
                await call.Grains.GetGrain<ITraceAggregatorGrain>(ITraceAggregatorGrain.DefaultKey).Add(events);
            }
            catch (Exception e) when (e is not OperationCanceledException || !call.Aborted.IsCancellationRequested)
            {
                PublicApiLog.IngestionNotStored(call.Logger, events.Length, call.ProjectId, e.Message);
                // 503 is one of the statuses OTLP/HTTP exporters retry.
                return Refused(StatusCodes.Status503ServiceUnavailable, "Spans not stored: the trace pipeline did not accept them; send them again");
            }
        }
        return protobuf ? new EmptyProtobufResult() : new LangfuseJsonResult(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteEndObject();
        });
    }

    // Langfuse's OTLP route answers errors as {"error": "..."}.
    private static LangfuseJsonResult Refused(int status, string error) => new(status, w =>
    {
        w.WriteStartObject();
        w.WriteString("error", error);
        w.WriteEndObject();
    });
}
