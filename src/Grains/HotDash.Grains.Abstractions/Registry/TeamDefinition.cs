namespace HotDash.Grains;

/// <summary>One team as the registry keeps it (LiteLLM's <c>LiteLLM_TeamTable</c>).</summary>
/// <param name="TeamId"><c>team_id</c>.</param>
[GenerateSerializer, Immutable, Alias("hotdash.TeamDefinition")]
public sealed record TeamDefinition([property: Id(0)] string TeamId)
{
    /// <summary><c>team_alias</c>: unique across teams when set.</summary>
    [Id(1)] public string? TeamAlias { get; init; }

    /// <summary><c>models</c>: what the team's keys may call; empty: every model.</summary>
    [Id(2)] public ImmutableArray<string> Models { get; init; } = [];

    /// <summary>The team's limits; every key of the team is held to them as well as its own.</summary>
    [Id(3)] public QuotaLimits Limits { get; init; } = QuotaLimits.None;

    /// <summary><c>budget_duration</c> as written.</summary>
    [Id(4)] public string? BudgetDuration { get; init; }

    /// <summary><c>metadata</c>: a JSON object, as text.</summary>
    [Id(5)] public string Metadata { get; init; } = "{}";

    /// <summary><c>blocked</c>: every key of a blocked team is refused with 401.</summary>
    [Id(6)] public bool Blocked { get; init; }

    /// <summary><c>members_with_roles</c>.</summary>
    [Id(7)] public ImmutableArray<TeamMember> Members { get; init; } = [];

    /// <summary><c>spend</c> (USD) as the ledger has it.</summary>
    [Id(8)] public decimal Spend { get; init; }

    /// <summary><c>model_spend</c>.</summary>
    [Id(9)] public ImmutableDictionary<string, decimal> ModelSpend { get; init; } = ImmutableDictionary<string, decimal>.Empty;

    /// <summary><c>budget_reset_at</c>, when known.</summary>
    [Id(10)] public DateTimeOffset? BudgetResetAt { get; init; }

    /// <summary><c>created_at</c>.</summary>
    [Id(11)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>updated_at</c>.</summary>
    [Id(12)] public DateTimeOffset UpdatedAt { get; init; }
}
