namespace HotDash.Grains;

/// <summary>A gateway's admission request for one call made with a virtual key.</summary>
/// <param name="ReservationId">The call id; names the reservation on every quota grain.</param>
/// <param name="KeyHash">SHA-256 of the presented key, lower-case hex.</param>
/// <param name="Model">The model name the client asked for (before the key's <c>aliases</c>).</param>
/// <param name="AccessNames">
/// Names that grant access to <paramref name="Model"/> besides the name itself: the model group's
/// <c>model_info.access_groups</c>. A key or team whose <c>models</c> holds any of them may call the model.
/// </param>
/// <param name="EstimatedTokens">Tokens to reserve until settlement (counted as <c>token_rate_limit_type</c> says).</param>
/// <param name="EstimatedCost">Cost (USD) to reserve until settlement.</param>
[GenerateSerializer, Immutable, Alias("hotdash.KeyAdmissionRequest")]
public sealed record KeyAdmissionRequest(
    [property: Id(0)] string ReservationId,
    [property: Id(1)] string KeyHash,
    [property: Id(2)] string Model,
    [property: Id(3)] ImmutableArray<string> AccessNames,
    [property: Id(4)] long EstimatedTokens,
    [property: Id(5)] decimal EstimatedCost);
