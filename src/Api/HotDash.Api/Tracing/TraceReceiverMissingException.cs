namespace HotDash.Api.Tracing;

/// <summary>No silo of the cluster implements <c>ITraceAggregatorGrain</c> (an older silo): no retry helps until one does.</summary>
internal sealed class TraceReceiverMissingException(string message, Exception inner) : Exception(message, inner);
