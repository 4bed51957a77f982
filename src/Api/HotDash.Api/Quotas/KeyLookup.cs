namespace HotDash.Api.Quotas;

/// <summary>What a virtual key's definition says about it, for routes that use no quota (<c>/v1/models</c>).</summary>
internal enum KeyLookup
{
    /// <summary>The key exists and may be used.</summary>
    Valid,

    /// <summary>No such key (401 <c>auth_error</c>).</summary>
    Unknown,

    /// <summary>The key is blocked (401 <c>auth_error</c>).</summary>
    Blocked,

    /// <summary>The key has expired (401 <c>expired_key</c>).</summary>
    Expired,

    /// <summary>The cluster did not answer (503): the key cannot be checked.</summary>
    Unavailable,
}
