namespace HotDash.Grains;

/// <summary>Builds the keys of <see cref="IQuotaGrain"/>: one grain per team, virtual key and user.</summary>
public static class QuotaSubjects
{
    /// <summary>The quota grain key of a team.</summary>
    public static string Team(string teamId) => "team:" + teamId;

    /// <summary>The quota grain key of a virtual key, by the SHA-256 hash of the key.</summary>
    public static string Key(string keyHash) => "key:" + keyHash;

    /// <summary>The quota grain key of a user.</summary>
    public static string User(string userId) => "user:" + userId;
}
