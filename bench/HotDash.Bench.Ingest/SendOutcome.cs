namespace HotDash.Bench.Ingest;

/// <summary>What one request achieved: units accepted and refused (events for ingestion, 1 for a chat request).</summary>
/// <param name="Accepted">Units the server accepted.</param>
/// <param name="Failed">Units refused or lost (a transport error loses the whole request's units).</param>
/// <param name="Error">A short description of the first failure, or null.</param>
internal readonly record struct SendOutcome(int Accepted, int Failed, string? Error);
