namespace HotDash.Api.Gateway;

/// <summary>Who sent a request, as far as its key tells before any cluster call.</summary>
internal enum CallerKind
{
    /// <summary>A master key is configured and the request carries no key: 401.</summary>
    Missing,

    /// <summary>The master key: unlimited, no admission call.</summary>
    Master,

    /// <summary>No master key is configured and the key (if any) is not a virtual key: unlimited.</summary>
    Open,

    /// <summary>Any other key: admitted by the cluster (<c>IAdmissionGrain.AdmitKey</c>).</summary>
    VirtualKey,
}
