namespace HotDash.Grains;

/// <summary>The answer to <see cref="IAdmissionGrain.AdmitKey"/>: who the key is, and whether the request may go upstream.</summary>
/// <param name="Status"><see cref="KeyAdmissionStatus"/>.</param>
/// <param name="Message">For a refusal, the client-facing message (names the key's short form, the model or the limit); else <see langword="null"/>.</param>
/// <param name="Quota">The quota answer (admitted or refused, with the <c>x-ratelimit-*</c> values); <see langword="null"/> when the key was refused before any quota was asked.</param>
/// <param name="Model">The model name to route, after the key's <c>aliases</c>.</param>
/// <param name="SubjectKeys">The quota grain keys reserved on (for settlement and release); empty unless admitted.</param>
/// <param name="TeamId">The key's team, for the spend ledger.</param>
/// <param name="UserId">The key's user, for the spend ledger.</param>
/// <param name="KeyAlias">The key's alias, for logs.</param>
[GenerateSerializer, Immutable, Alias("hotdash.KeyAdmissionDecision")]
public sealed record KeyAdmissionDecision(
    [property: Id(0)] string Status,
    [property: Id(1)] string? Message,
    [property: Id(2)] AdmissionDecision? Quota,
    [property: Id(3)] string Model,
    [property: Id(4)] ImmutableArray<string> SubjectKeys,
    [property: Id(5)] string? TeamId,
    [property: Id(6)] string? UserId,
    [property: Id(7)] string? KeyAlias)
{
    /// <summary>
    /// The key's cache controls: its metadata's <c>cache</c> object as JSON (LiteLLM's <c>no-cache</c>, <c>no-store</c>,
    /// <c>ttl</c>, <c>s-maxage</c>, <c>namespace</c>, <c>use-cache</c>), under the request's own; null when it has none.
    /// </summary>
    [Id(8)] public string? CacheControls { get; init; }
}
