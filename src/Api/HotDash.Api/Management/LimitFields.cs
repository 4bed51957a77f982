using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>
/// The limit fields keys, teams and users share (<c>rpm_limit</c>, <c>tpm_limit</c>, <c>max_parallel_requests</c>,
/// <c>max_budget</c>, <c>budget_duration</c>, <c>model_rpm_limit</c>, <c>model_tpm_limit</c>, <c>model_max_budget</c>):
/// each one the request sets replaces the current value (null clears it); the others are kept.
/// </summary>
internal static class LimitFields
{
    public static (QuotaLimits Limits, string? BudgetDuration) Apply(RequestFields f, QuotaLimits limits, string? budgetDuration)
    {
        if (f.Given("rpm_limit"))
        {
            limits = limits with { RpmLimit = f.Count("rpm_limit") };
        }
        if (f.Given("tpm_limit"))
        {
            limits = limits with { TpmLimit = f.Count("tpm_limit") };
        }
        if (f.Given("max_parallel_requests"))
        {
            limits = limits with { MaxParallelRequests = f.SmallCount("max_parallel_requests") };
        }
        if (f.Given("max_budget"))
        {
            limits = limits with { MaxBudget = f.Money("max_budget") };
        }
        if (f.Given("budget_duration"))
        {
            var d = f.Duration("budget_duration");
            budgetDuration = d?.Text;
            limits = limits with { BudgetDuration = d?.Length };
        }
        if (f.Given("model_rpm_limit"))
        {
            limits = limits with { ModelRpmLimit = f.CountMap("model_rpm_limit") ?? ImmutableDictionary<string, long>.Empty };
        }
        if (f.Given("model_tpm_limit"))
        {
            limits = limits with { ModelTpmLimit = f.CountMap("model_tpm_limit") ?? ImmutableDictionary<string, long>.Empty };
        }
        if (f.Given("model_max_budget"))
        {
            limits = limits with { ModelMaxBudget = f.ModelBudgets("model_max_budget") ?? ImmutableDictionary<string, ModelBudget>.Empty };
        }
        return (limits, budgetDuration);
    }
}
