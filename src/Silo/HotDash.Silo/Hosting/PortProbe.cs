using System.Net;
using System.Net.Sockets;

namespace HotDash.Silo.Hosting;

/// <summary>
/// Finds a port another process already listens on by connecting to it. Needed next to the bind check:
/// Orleans listens with <c>SO_REUSEPORT</c> (what .NET's ReuseAddress means on Linux), and so does the bind
/// check itself, so a second silo would bind the same Orleans port without an error and the kernel would
/// share the first silo's connections between the two.
/// </summary>
internal static class PortProbe
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>True when something accepts a TCP connection on <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static bool IsListening(IPAddress address, int port)
    {
        if (port == 0)
        {
            return false;
        }
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            return socket.ConnectAsync(address, port).Wait(ConnectTimeout);
        }
        catch (AggregateException e) when (e.InnerException is SocketException)
        {
            return false;
        }
    }

    /// <summary>The address to probe for a listener bound to <paramref name="bindAddress"/> (any interface: loopback).</summary>
    public static IPAddress ProbeAddress(string bindAddress) =>
        IPAddress.TryParse(bindAddress, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) ? ip : IPAddress.Loopback;
}
