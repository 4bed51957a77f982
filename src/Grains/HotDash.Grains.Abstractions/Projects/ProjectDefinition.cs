namespace HotDash.Grains;

/// <summary>A Langfuse project: what traces, observations and scores belong to, and what project API keys open.</summary>
/// <param name="Id">Project id (Langfuse's <c>projectId</c>).</param>
/// <param name="Name">Display name.</param>
/// <param name="CreatedAt">When it was created.</param>
[GenerateSerializer, Immutable, Alias("hotdash.ProjectDefinition")]
public sealed record ProjectDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset CreatedAt);
