namespace HotDash.Grains;

/// <summary>A page of <c>/key/list</c>: filters (all optional, combined with and) and the 1-based page.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.KeyListQuery")]
public sealed record KeyListQuery(
    [property: Id(0)] string? TeamId,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string? KeyAlias,
    [property: Id(3)] int Page,
    [property: Id(4)] int PageSize);
