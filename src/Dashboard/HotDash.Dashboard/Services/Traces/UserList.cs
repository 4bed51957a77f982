namespace HotDash.Dashboard.Services.Traces;

/// <summary>The users found in the newest <see cref="TracesRead"/> traces of the range (of <see cref="TracesInRange"/>).</summary>
public sealed record UserList(IReadOnlyList<UserSummary> Users, long TracesRead, long TracesInRange);
