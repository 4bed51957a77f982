namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>An OTLP trace export that cannot be read; the endpoint answers 400 with <see cref="Exception.Message"/>.</summary>
public sealed class OtlpParseException : Exception
{
    /// <summary>A refusal with its reason.</summary>
    public OtlpParseException(string message) : base(message)
    {
    }

    /// <summary>A refusal caused by a decoder error.</summary>
    public OtlpParseException(string message, Exception inner) : base(message, inner)
    {
    }
}
