namespace HotDash.Grains;

/// <summary>Values of <see cref="KeyAdmissionDecision.Status"/>, and the answer each gets from the gateway.</summary>
public static class KeyAdmissionStatus
{
    /// <summary>Admitted: the request holds a reservation on every subject in <see cref="KeyAdmissionDecision.SubjectKeys"/>.</summary>
    public const string Admitted = "admitted";

    /// <summary>A quota refused (429, <see cref="KeyAdmissionDecision.Quota"/> says which and why).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>No such key, or it was deleted (401 <c>auth_error</c>).</summary>
    public const string UnknownKey = "unknown_key";

    /// <summary>The key is blocked (401 <c>auth_error</c>).</summary>
    public const string Blocked = "blocked";

    /// <summary>The key's team is blocked or no longer exists (401 <c>auth_error</c>).</summary>
    public const string TeamBlocked = "team_blocked";

    /// <summary>The key has expired (401 <c>expired_key</c>).</summary>
    public const string Expired = "expired";

    /// <summary>The model is outside the key's (or its team's) <c>models</c> (403 <c>key_model_access_denied</c>).</summary>
    public const string ModelDenied = "model_denied";
}
