using System.Net.Sockets;

namespace HotDash.Dashboard.Tests.Infrastructure;

/// <summary>Ports the kernel has just handed out on 127.0.0.1, so tests do not collide with each other or a running HotDash.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
