namespace HotDash.Grains;

/// <summary>Values of <see cref="SpendReportQuery.GroupBy"/> (LiteLLM's <c>group_by</c>).</summary>
public static class SpendGroupBy
{
    /// <summary>By <c>team_id</c> (LiteLLM's default).</summary>
    public const string Team = "team";

    /// <summary>By the key's hash.</summary>
    public const string ApiKey = "api_key";

    /// <summary>By the internal user.</summary>
    public const string User = "user";

    /// <summary>By the end user (<c>end_user</c>, the OpenAI <c>user</c> field).</summary>
    public const string Customer = "customer";
}
