using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace HotDash.Bench.Ingest;

/// <summary>
/// One <c>POST /api/public/ingestion</c> body as the Langfuse SDKs send it: pairs of <c>trace-create</c> and
/// <c>generation-create</c> (model, parameters, a chat input and output, token usage), new ids every time.
/// </summary>
internal static class LangfuseBatch
{
    private const string Prompt = "Summarise the quarterly numbers for the board in three short bullet points, plain words only.";
    private const string Answer = "- Revenue grew 12% on the quarter.\n- Costs stayed flat.\n- Cash covers the next 18 months.";

    /// <summary>A batch of <paramref name="pairs"/> traces, each with one generation (2 events a pair).</summary>
    public static byte[] Create(int pairs, long sequence)
    {
        var buffer = new ArrayBufferWriter<byte>(pairs * 1_400);
        using (var w = new Utf8JsonWriter(buffer))
        {
            var now = DateTimeOffset.UtcNow;
            var start = Iso(now.AddMilliseconds(-850));
            var firstToken = Iso(now.AddMilliseconds(-600));
            var end = Iso(now);
            w.WriteStartObject();
            w.WriteStartArray("batch");
            for (var i = 0; i < pairs; i++)
            {
                var traceId = Guid.NewGuid().ToString();
                var user = "bench-user-" + ((sequence * pairs + i) % 97).ToString(CultureInfo.InvariantCulture);

                w.WriteStartObject();
                w.WriteString("id", Guid.NewGuid().ToString());
                w.WriteString("timestamp", end);
                w.WriteString("type", "trace-create");
                w.WriteStartObject("body");
                w.WriteString("id", traceId);
                w.WriteString("timestamp", start);
                w.WriteString("name", RowNames.PublicApi.Trace);
                w.WriteString("userId", user);
                w.WriteString("sessionId", "bench-session-" + (sequence % 31).ToString(CultureInfo.InvariantCulture));
                w.WriteString("release", "bench");
                w.WriteStartArray("tags");
                w.WriteStringValue("bench");
                w.WriteStringValue("ingest");
                w.WriteEndArray();
                w.WriteStartObject("metadata");
                w.WriteString("source", "hotdash-bench-ingest");
                w.WriteNumber("batch", sequence);
                w.WriteEndObject();
                w.WriteString("input", Prompt);
                w.WriteString("output", Answer);
                w.WriteEndObject();
                w.WriteEndObject();

                w.WriteStartObject();
                w.WriteString("id", Guid.NewGuid().ToString());
                w.WriteString("timestamp", end);
                w.WriteString("type", "generation-create");
                w.WriteStartObject("body");
                w.WriteString("id", Guid.NewGuid().ToString());
                w.WriteString("traceId", traceId);
                w.WriteString("name", RowNames.PublicApi.Observation);
                w.WriteString("startTime", start);
                w.WriteString("completionStartTime", firstToken);
                w.WriteString("endTime", end);
                w.WriteString("model", "gpt-4o-mini");
                w.WriteStartObject("modelParameters");
                w.WriteNumber("temperature", 0.2);
                w.WriteNumber("max_tokens", 256);
                w.WriteEndObject();
                w.WriteStartArray("input");
                w.WriteStartObject();
                w.WriteString("role", "user");
                w.WriteString("content", Prompt);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteStartObject("output");
                w.WriteString("role", "assistant");
                w.WriteString("content", Answer);
                w.WriteEndObject();
                w.WriteStartObject("usage");
                w.WriteNumber("input", 21 + (i % 7));
                w.WriteNumber("output", 27 + (i % 5));
                w.WriteNumber("total", 48 + (i % 7) + (i % 5));
                w.WriteString("unit", "TOKENS");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("metadata");
            w.WriteString("sdk_name", "hotdash-bench-ingest");
            w.WriteString("sdk_version", "1.0.0");
            w.WriteNumber("batch_size", pairs * 2);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
