namespace HotDash.Dashboard.Services.Traces;

/// <summary>A Langfuse user seen in the traces read: their trace count, cost and last trace.</summary>
public sealed record UserSummary(string UserId, long Traces, decimal TotalCost, long? LastSeenMs);
