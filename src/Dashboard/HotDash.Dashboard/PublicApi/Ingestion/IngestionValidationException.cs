namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>One invalid field of an ingestion event; its message (<c>path: problem</c>) becomes the event's <c>error</c>.</summary>
internal sealed class IngestionValidationException(string path, string problem) : Exception($"{path}: {problem}")
{
    /// <summary>Where in the event, e.g. <c>body.usage.input</c>.</summary>
    public string Path { get; } = path;
}
