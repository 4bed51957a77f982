namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>An OTLP attribute (<c>KeyValue</c>).</summary>
/// <param name="Key">The attribute name.</param>
/// <param name="Value">Its value.</param>
public sealed record OtlpKeyValue(string Key, OtlpAnyValue Value);
