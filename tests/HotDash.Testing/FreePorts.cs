using System.Net;
using System.Net.Sockets;

namespace HotDash.Testing;

/// <summary>
/// Ports the kernel has just handed out on 127.0.0.1, for servers that cannot bind port 0 themselves (Orleans, the
/// HotDash hosts), so parallel tests do not collide with each other or with a running HotDash.
/// </summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
