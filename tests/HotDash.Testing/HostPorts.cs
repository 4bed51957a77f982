namespace HotDash.Testing;

/// <summary>
/// The ports of one HotDash host process: the HTTP port it serves (silo health, gateway API or dashboard), its Orleans
/// silo port (0 for the Orleans clients) and the Orleans gateway port it listens on (silo) or connects to (clients).
/// </summary>
public sealed record HostPorts(int Http, int Silo, int Gateway)
{
    public static HostPorts Free() => new(FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
}
