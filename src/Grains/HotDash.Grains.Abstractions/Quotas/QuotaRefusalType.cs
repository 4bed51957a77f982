namespace HotDash.Grains;

/// <summary>Values of <see cref="QuotaDecision.RefusalType"/>: the OpenAI error <c>type</c> of the 429.</summary>
public static class QuotaRefusalType
{
    /// <summary>A rate or parallel limit: retry later.</summary>
    public const string Throttling = "throttling_error";

    /// <summary>A budget is spent until it resets.</summary>
    public const string BudgetExceeded = "budget_exceeded";
}
