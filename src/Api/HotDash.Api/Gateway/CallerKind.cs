namespace HotDash.Api.Gateway;

/// <summary>Who sent a request, as far as its key tells before any cluster call.</summary>
internal enum CallerKind
{
    /// <summary>
    /// A master key is configured and the request carries no key, or one that is neither the master key nor a
    /// virtual key (<c>sk-</c>...): 401, without any cluster call.
    /// </summary>
    Missing,

    /// <summary>The master key: unlimited, no admission call.</summary>
    Master,

    /// <summary>No master key is configured and the key (if any) is not a virtual key: unlimited.</summary>
    Open,

    /// <summary>Any other key: admitted by the cluster (<c>IAdmissionGrain.AdmitKey</c>).</summary>
    VirtualKey,
}
