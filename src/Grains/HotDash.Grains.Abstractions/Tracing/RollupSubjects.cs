namespace HotDash.Grains;

/// <summary>The keys of <see cref="ITraceRollupGrain"/>.</summary>
public static class RollupSubjects
{
    /// <summary>Every gateway request.</summary>
    public const string All = "all";

    /// <summary>One team's requests (keys outside a team count under <c>team:</c> with an empty id).</summary>
    public static string Team(string? teamId) => "team:" + teamId;

    /// <summary>One model group's requests.</summary>
    public static string Model(string modelGroup) => "model:" + modelGroup;
}
