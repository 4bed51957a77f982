namespace HotDash.Grains;

/// <summary>The usage and cost detail keys HotDash writes (Langfuse's names).</summary>
public static class UsageKeys
{
    /// <summary>Prompt tokens (including cached ones).</summary>
    public const string Input = "input";

    /// <summary>Completion tokens (including reasoning ones).</summary>
    public const string Output = "output";

    /// <summary>All tokens.</summary>
    public const string Total = "total";

    /// <summary>Prompt tokens read from the provider's prompt cache.</summary>
    public const string InputCached = "input_cached_tokens";

    /// <summary>Completion tokens spent on reasoning.</summary>
    public const string OutputReasoning = "output_reasoning_tokens";
}
