namespace HotDash.Grains;

/// <summary>An admission request to one subject's quota grain.</summary>
/// <param name="ReservationId">The call id; names the reservation in <see cref="IQuotaGrain.Settle"/>, <see cref="IQuotaGrain.Release"/> and <see cref="IQuotaGrain.Cancel"/>.</param>
/// <param name="Model">The model name the client asked for (the model group), as LiteLLM keys <c>model_*</c> limits.</param>
/// <param name="EstimatedTokens">Tokens reserved until settlement (prompt tokens plus <c>max_tokens</c>, or the gateway's estimate).</param>
/// <param name="EstimatedCost">Cost (USD) reserved until settlement.</param>
/// <param name="Limits">The subject's limits as its definition stands now.</param>
[GenerateSerializer, Alias("hotdash.QuotaRequest")]
public sealed record QuotaRequest(
    [property: Id(0)] string ReservationId,
    [property: Id(1)] string Model,
    [property: Id(2)] long EstimatedTokens,
    [property: Id(3)] decimal EstimatedCost,
    [property: Id(4)] QuotaLimits Limits);
