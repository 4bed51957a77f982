namespace HotDash.Grains;

/// <summary>One internal user as the registry keeps it (LiteLLM's <c>LiteLLM_UserTable</c>).</summary>
/// <param name="UserId"><c>user_id</c>.</param>
[GenerateSerializer, Immutable, Alias("hotdash.UserDefinition")]
public sealed record UserDefinition([property: Id(0)] string UserId)
{
    /// <summary><c>user_alias</c>.</summary>
    [Id(1)] public string? UserAlias { get; init; }

    /// <summary><c>user_email</c>.</summary>
    [Id(2)] public string? UserEmail { get; init; }

    /// <summary><c>user_role</c>: <c>proxy_admin</c>, <c>internal_user</c>, ... (LiteLLM's roles).</summary>
    [Id(3)] public string? UserRole { get; init; }

    /// <summary><c>models</c>: what the user's personal keys may call; empty: every model.</summary>
    [Id(4)] public ImmutableArray<string> Models { get; init; } = [];

    /// <summary>The user's limits; held against the user's keys that belong to no team (LiteLLM's rule).</summary>
    [Id(5)] public QuotaLimits Limits { get; init; } = QuotaLimits.None;

    /// <summary><c>budget_duration</c> as written.</summary>
    [Id(6)] public string? BudgetDuration { get; init; }

    /// <summary><c>metadata</c>: a JSON object, as text.</summary>
    [Id(7)] public string Metadata { get; init; } = "{}";

    /// <summary><c>teams</c>: the ids of the teams the user is a member of (from the memberships).</summary>
    [Id(8)] public ImmutableArray<string> Teams { get; init; } = [];

    /// <summary><c>spend</c> (USD) as the ledger has it.</summary>
    [Id(9)] public decimal Spend { get; init; }

    /// <summary><c>model_spend</c>.</summary>
    [Id(10)] public ImmutableDictionary<string, decimal> ModelSpend { get; init; } = ImmutableDictionary<string, decimal>.Empty;

    /// <summary><c>budget_reset_at</c>, when known.</summary>
    [Id(11)] public DateTimeOffset? BudgetResetAt { get; init; }

    /// <summary><c>created_at</c>.</summary>
    [Id(12)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>updated_at</c>.</summary>
    [Id(13)] public DateTimeOffset UpdatedAt { get; init; }
}
