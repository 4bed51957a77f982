namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>One refused event of a batch (Langfuse's <c>errors[]</c> item).</summary>
/// <param name="Id">The envelope id, or <c>unknown</c> when the event has no string id.</param>
/// <param name="Status">400 for invalid events.</param>
/// <param name="Message">Langfuse's category: <c>Invalid request data</c>.</param>
/// <param name="Error">What is wrong, as <c>path: problem</c> (e.g. <c>body.name: Invalid input: expected string, received number</c>).</param>
public sealed record IngestionEventError(string Id, int Status, string Message, string Error);
