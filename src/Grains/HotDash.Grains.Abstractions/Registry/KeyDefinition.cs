namespace HotDash.Grains;

/// <summary>
/// One virtual key as the registry keeps it (LiteLLM's <c>LiteLLM_VerificationToken</c>, field for field where LiteLLM
/// has the field). The key itself is never kept: <see cref="Token"/> is its SHA-256 hash.
/// </summary>
/// <param name="Token">SHA-256 of the <c>sk-...</c> key, lower-case hex (LiteLLM's <c>token</c>).</param>
[GenerateSerializer, Immutable, Alias("hotdash.KeyDefinition")]
public sealed record KeyDefinition([property: Id(0)] string Token)
{
    /// <summary>The short visible form, <c>sk-...abcd</c> (LiteLLM's <c>key_name</c>).</summary>
    [Id(1)] public string? KeyName { get; init; }

    /// <summary><c>key_alias</c>: unique across keys when set.</summary>
    [Id(2)] public string? KeyAlias { get; init; }

    /// <summary><c>team_id</c>: the key is also held to this team's limits and model list.</summary>
    [Id(3)] public string? TeamId { get; init; }

    /// <summary><c>user_id</c>: the internal user that owns the key.</summary>
    [Id(4)] public string? UserId { get; init; }

    /// <summary><c>models</c>: the model names (or access groups, <c>*</c>, <c>all-team-models</c>, <c>provider/*</c>) the key may call; empty: every model its team allows.</summary>
    [Id(5)] public ImmutableArray<string> Models { get; init; } = [];

    /// <summary><c>aliases</c>: model names the key's clients send, mapped to the model name used instead.</summary>
    [Id(6)] public ImmutableDictionary<string, string> Aliases { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary><c>rpm_limit</c>, <c>tpm_limit</c>, <c>max_parallel_requests</c>, <c>max_budget</c>, <c>budget_duration</c> (parsed), <c>model_*</c>.</summary>
    [Id(7)] public QuotaLimits Limits { get; init; } = QuotaLimits.None;

    /// <summary><c>budget_duration</c> as written (<c>30d</c>), for answers; <see cref="Limits"/> holds it parsed.</summary>
    [Id(8)] public string? BudgetDuration { get; init; }

    /// <summary><c>metadata</c>: a JSON object, as text.</summary>
    [Id(9)] public string Metadata { get; init; } = "{}";

    /// <summary><c>blocked</c>: a blocked key is refused with 401 until unblocked.</summary>
    [Id(10)] public bool Blocked { get; init; }

    /// <summary><c>expires</c>: after this the key is refused with 401 <c>expired_key</c>; <see langword="null"/>: never.</summary>
    [Id(11)] public DateTimeOffset? Expires { get; init; }

    /// <summary><c>spend</c> (USD) as the ledger has it (written in batches: may trail the quota grain's live spend).</summary>
    [Id(12)] public decimal Spend { get; init; }

    /// <summary><c>model_spend</c>: the ledger's spend per model name.</summary>
    [Id(13)] public ImmutableDictionary<string, decimal> ModelSpend { get; init; } = ImmutableDictionary<string, decimal>.Empty;

    /// <summary><c>budget_reset_at</c>, when known.</summary>
    [Id(14)] public DateTimeOffset? BudgetResetAt { get; init; }

    /// <summary><c>created_by</c>: the user id of the admin (or <c>default_user_id</c> for the master key).</summary>
    [Id(15)] public string? CreatedBy { get; init; }

    /// <summary><c>updated_by</c>.</summary>
    [Id(16)] public string? UpdatedBy { get; init; }

    /// <summary><c>created_at</c>.</summary>
    [Id(17)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>updated_at</c>.</summary>
    [Id(18)] public DateTimeOffset UpdatedAt { get; init; }
}
