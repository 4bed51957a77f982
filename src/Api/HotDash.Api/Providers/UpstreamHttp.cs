using System.Net;
using System.Security.Authentication;

namespace HotDash.Api.Providers;

/// <summary>The one HTTP client for every upstream: an <see cref="HttpMessageInvoker"/> over a tuned <see cref="SocketsHttpHandler"/>.</summary>
internal sealed class UpstreamHttp : IDisposable
{
    public UpstreamHttp()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = true, // honours HTTPS_PROXY/NO_PROXY like LiteLLM's httpx does; unset costs nothing
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None, // bodies pass through; we never inflate them
            UseCookies = false,
            MaxConnectionsPerServer = int.MaxValue,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10), // picks up DNS changes of hosted providers
            ConnectTimeout = TimeSpan.FromSeconds(15),
            ResponseDrainTimeout = TimeSpan.FromSeconds(2),
            SslOptions = { EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 },
            ActivityHeadersPropagator = null, // no per-request tracing headers on the hot path
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
