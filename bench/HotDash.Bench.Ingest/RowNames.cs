namespace HotDash.Bench.Ingest;

/// <summary>
/// The names a phase's rows carry, so each phase counts only its own rows (both phases write to the same project).
/// </summary>
/// <param name="Trace">The traces' name.</param>
/// <param name="Observation">The observations' name (all generations).</param>
internal sealed record RowNames(string Trace, string Observation)
{
    /// <summary>What the public-API phase sends.</summary>
    public static RowNames PublicApi { get; } = new("ingest-bench-trace", "ingest-bench-generation");

    /// <summary>What the gateway names a chat completion's trace and generation (LiteLLM's <c>litellm-acompletion</c>).</summary>
    public static RowNames Gateway { get; } = new("litellm-acompletion", "litellm-acompletion");
}
