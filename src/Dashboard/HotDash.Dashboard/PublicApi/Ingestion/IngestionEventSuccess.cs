namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>One accepted event of a batch (Langfuse's <c>successes[]</c> item).</summary>
/// <param name="Id">The envelope id (<c>batch[].id</c>).</param>
/// <param name="Status">Always 201.</param>
public sealed record IngestionEventSuccess(string Id, int Status);
