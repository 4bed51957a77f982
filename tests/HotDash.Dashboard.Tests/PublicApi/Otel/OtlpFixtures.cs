using System.Text;

namespace HotDash.Dashboard.Tests.PublicApi.Otel;

/// <summary>OTLP/JSON exports in the shape @opentelemetry/exporter-trace-otlp-http sends (hex ids, nanos as strings, kind as a number).</summary>
internal static class OtlpFixtures
{
    public const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    public const string RootSpanId = "b7ad6b7169203331";
    public const string ChildSpanId = "00f067aa0ba902b7";
    public const long StartMs = 1_748_779_200_000;

    /// <summary>What @langfuse/otel (Langfuse JS SDK v4) exports for a trace with one generation.</summary>
    public static readonly string LangfuseSdkExport = $$$$"""
        {"resourceSpans":[{
          "resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"chat-app"}},
            {"key":"service.version","value":{"stringValue":"1.4.0"}},
            {"key":"telemetry.sdk.language","value":{"stringValue":"nodejs"}},
            {"key":"telemetry.sdk.name","value":{"stringValue":"opentelemetry"}},
            {"key":"telemetry.sdk.version","value":{"stringValue":"2.0.1"}}],"droppedAttributesCount":0},
          "scopeSpans":[{
            "scope":{"name":"langfuse-sdk","version":"4.0.0","attributes":[{"key":"public_key","value":{"stringValue":"pk-lf-1"}}]},
            "spans":[
              {"traceId":"{{{{TraceId}}}}","spanId":"{{{{RootSpanId}}}}","name":"handle-request","kind":1,
               "startTimeUnixNano":"1748779200000000000","endTimeUnixNano":"1748779203000000000",
               "attributes":[
                 {"key":"langfuse.observation.type","value":{"stringValue":"span"}},
                 {"key":"langfuse.trace.name","value":{"stringValue":"chat"}},
                 {"key":"user.id","value":{"stringValue":"user-7"}},
                 {"key":"session.id","value":{"stringValue":"sess-3"}},
                 {"key":"langfuse.trace.tags","value":{"arrayValue":{"values":[{"stringValue":"prod"},{"stringValue":"beta"}]}}},
                 {"key":"langfuse.environment","value":{"stringValue":"production"}},
                 {"key":"langfuse.observation.input","value":{"stringValue":"{\"question\":\"hi\"}"}},
                 {"key":"langfuse.observation.output","value":{"stringValue":"\"hello\""}},
                 {"key":"langfuse.trace.metadata.tenant","value":{"stringValue":"acme"}}],
               "droppedAttributesCount":0,"events":[],"droppedEventsCount":0,"status":{"code":0},"links":[],"droppedLinksCount":0},
              {"traceId":"{{{{TraceId}}}}","spanId":"{{{{ChildSpanId}}}}","parentSpanId":"{{{{RootSpanId}}}}","name":"llm-call","kind":1,
               "startTimeUnixNano":"1748779200500000000","endTimeUnixNano":"1748779202500000000",
               "attributes":[
                 {"key":"langfuse.observation.type","value":{"stringValue":"generation"}},
                 {"key":"langfuse.observation.model.name","value":{"stringValue":"gpt-4o"}},
                 {"key":"langfuse.observation.model.parameters","value":{"stringValue":"{\"temperature\":0.2,\"stop\":[\"x\"]}"}},
                 {"key":"langfuse.observation.usage_details","value":{"stringValue":"{\"input\":100,\"output\":20}"}},
                 {"key":"langfuse.observation.cost_details","value":{"stringValue":"{\"input\":0.001,\"output\":0.002}"}},
                 {"key":"langfuse.observation.completion_start_time","value":{"stringValue":"\"2025-06-01T12:00:00.800Z\""}},
                 {"key":"langfuse.observation.prompt.name","value":{"stringValue":"support"}},
                 {"key":"langfuse.observation.prompt.version","value":{"intValue":4}},
                 {"key":"langfuse.observation.metadata.step","value":{"stringValue":"answer"}},
                 {"key":"langfuse.observation.metadata.attempt","value":{"intValue":2}},
                 {"key":"langfuse.observation.input","value":{"stringValue":"[{\"role\":\"user\",\"content\":\"hi\"}]"}},
                 {"key":"langfuse.observation.output","value":{"stringValue":"{\"role\":\"assistant\",\"content\":\"hello\"}"}},
                 {"key":"langfuse.environment","value":{"stringValue":"production"}}],
               "droppedAttributesCount":0,"events":[],"droppedEventsCount":0,"status":{"code":0},"links":[],"droppedLinksCount":0}
            ]}]}]}
        """;

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>One span in a plain OTel export (scope <paramref name="scope"/>), attributes as OTLP/JSON KeyValue text.</summary>
    public static string SingleSpan(string attributes, string scope = "my-instrumentation", string resourceAttributes = "",
        string? parentSpanId = null, string extra = "", string spanId = ChildSpanId, string name = "operation") =>
        $$$"""
        {"resourceSpans":[{"resource":{"attributes":[{{{resourceAttributes}}}]},"scopeSpans":[{"scope":{"name":"{{{scope}}}","version":"1.0.0"},
          "spans":[{"traceId":"{{{TraceId}}}","spanId":"{{{spanId}}}"{{{(parentSpanId is null ? "" : $",\"parentSpanId\":\"{parentSpanId}\"")}}},
            "name":"{{{name}}}","kind":3,"startTimeUnixNano":"1748779200000000000","endTimeUnixNano":"1748779201000000000",
            "attributes":[{{{attributes}}}]{{{extra}}}}]}]}]}
        """;

    public static string Str(string key, string value) =>
        "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}}";

    public static string Int(string key, long value) => "{\"key\":\"" + key + "\",\"value\":{\"intValue\":\"" + value + "\"}}";

    public static string Dbl(string key, double value) =>
        "{\"key\":\"" + key + "\",\"value\":{\"doubleValue\":" + value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}";
}
