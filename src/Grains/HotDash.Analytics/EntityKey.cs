namespace HotDash.Analytics;

/// <summary>A stored entity's identity: rows are unique per project and id.</summary>
public readonly record struct EntityKey(string ProjectId, string Id);
