using System.Net.Sockets;

namespace HotDash.Api.Tests.Support;

/// <summary>Free loopback ports for servers that cannot bind port 0 themselves (the Orleans silo).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
