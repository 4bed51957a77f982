using System.Net;
using System.Net.Sockets;

namespace HotDash.Silo.Tests;

/// <summary>Ports the kernel has just handed out on 127.0.0.1, so parallel tests do not collide.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
