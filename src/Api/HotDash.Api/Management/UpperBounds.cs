using System.Globalization;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>
/// <c>litellm_settings.upperbound_key_generate_params</c>, as LiteLLM applies them to <c>/key/generate</c>: a field the
/// request leaves out (or sends as null) takes the bound, and a value above the bound is refused with 400 naming the
/// field. HotDash also refuses values above the bound on <c>/key/update</c> and <c>/key/regenerate</c> (LiteLLM does
/// not check there, which lets an update undo the bound).
/// </summary>
internal sealed record UpperBounds(
    decimal? MaxBudget,
    TimeSpan? BudgetDuration,
    TimeSpan? Duration,
    int? MaxParallelRequests,
    long? TpmLimit,
    long? RpmLimit,
    JsonElement? Fallback)
{
    /// <summary>The fields LiteLLM's <c>LiteLLM_UpperboundKeyGenerateParams</c> has.</summary>
    public static readonly string[] Fields = ["max_budget", "budget_duration", "duration", "max_parallel_requests", "tpm_limit", "rpm_limit"];

    public static UpperBounds None { get; } = new(null, null, null, null, null, null, null);

    /// <summary>Reads the bounds from the config's mapping; the error names the bad field.</summary>
    public static UpperBounds Read(JsonElement bounds, out ManagementError? error)
    {
        var f = new RequestFields(bounds);
        var result = new UpperBounds(
            f.Money("max_budget"),
            f.Duration("budget_duration")?.Length,
            f.Duration("duration")?.Length,
            f.SmallCount("max_parallel_requests"),
            f.Count("tpm_limit"),
            f.Count("rpm_limit"),
            bounds);
        error = f.Error;
        return result;
    }

    /// <summary>Refuses (through <paramref name="f"/>) each limit the request sets above its bound.</summary>
    /// <param name="f">The request.</param>
    /// <param name="key">The key as the request would leave it.</param>
    /// <param name="duration">The request's <c>duration</c>; <see cref="TimeSpan.MaxValue"/> for never expires.</param>
    public void Check(RequestFields f, KeyDefinition key, TimeSpan? duration)
    {
        Over(f, "max_budget", key.Limits.MaxBudget, MaxBudget);
        Over(f, "max_parallel_requests", key.Limits.MaxParallelRequests, MaxParallelRequests);
        Over(f, "tpm_limit", key.Limits.TpmLimit, TpmLimit);
        Over(f, "rpm_limit", key.Limits.RpmLimit, RpmLimit);
        if (BudgetDuration is { } bd && f.Given("budget_duration") && (key.Limits.BudgetDuration ?? TimeSpan.MaxValue) > bd)
        {
            f.Fail("budget_duration", $"budget_duration is over max limit set in config - user_value={key.BudgetDuration ?? "None"}; max_value={LiteLlmDuration.Format(bd)}");
        }
        if (Duration is { } d && f.Given("duration") && (duration ?? TimeSpan.MaxValue) > d)
        {
            var given = f.Body.TryGetProperty("duration", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : "None";
            f.Fail("duration", $"duration is over max limit set in config - user_value={given}; max_value={LiteLlmDuration.Format(d)}");
        }
    }

    private static void Over<T>(RequestFields f, string name, T? value, T? bound) where T : struct, IComparable<T>, IFormattable
    {
        if (bound is { } b && value is { } v && f.Given(name) && v.CompareTo(b) > 0)
        {
            f.Fail(name, $"{name} is over max limit set in config - user_value={v.ToString(null, CultureInfo.InvariantCulture)}; max_value={b.ToString(null, CultureInfo.InvariantCulture)}");
        }
    }
}
