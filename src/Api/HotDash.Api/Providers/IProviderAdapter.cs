using HotDash.Api.Gateway;

namespace HotDash.Api.Providers;

/// <summary>Calls one kind of provider for a <see cref="GatewayCall"/> and writes the client's answer.</summary>
internal interface IProviderAdapter
{
    /// <summary>
    /// Sends the call to <see cref="GatewayCall.Deployment"/>. Either writes the response (success, or an
    /// upstream error passed on) or returns a failure the pipeline may retry on another deployment.
    /// </summary>
    ValueTask<UpstreamResult> SendAsync(GatewayCall call, TimeSpan timeout);
}
