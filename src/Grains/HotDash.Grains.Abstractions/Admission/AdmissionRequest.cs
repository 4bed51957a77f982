namespace HotDash.Grains;

/// <summary>A gateway's admission request for one call, to every quota it is subject to.</summary>
/// <param name="ReservationId">The call id; names the reservation on every subject's quota grain.</param>
/// <param name="Model">The model name the client asked for (the model group), as LiteLLM keys <c>model_*</c> limits.</param>
/// <param name="EstimatedTokens">Tokens reserved until settlement.</param>
/// <param name="EstimatedCost">Cost (USD) reserved until settlement.</param>
/// <param name="Subjects">The quotas that apply (key, team, user), in the order a refusal is reported; empty: no limits.</param>
[GenerateSerializer, Alias("hotdash.AdmissionRequest")]
public sealed record AdmissionRequest(
    [property: Id(0)] string ReservationId,
    [property: Id(1)] string Model,
    [property: Id(2)] long EstimatedTokens,
    [property: Id(3)] decimal EstimatedCost,
    [property: Id(4)] ImmutableArray<QuotaSubject> Subjects);
