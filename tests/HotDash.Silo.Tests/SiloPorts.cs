namespace HotDash.Silo.Tests;

/// <summary>The three ports of one silo process.</summary>
internal sealed record SiloPorts(int Http, int Silo, int Gateway)
{
    public static SiloPorts Free() => new(FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
}
