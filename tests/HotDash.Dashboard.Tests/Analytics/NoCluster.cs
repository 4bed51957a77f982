using System.Reflection;
using Orleans;

namespace HotDash.Dashboard.Tests.Analytics;

/// <summary>
/// An <see cref="IClusterClient"/> with no cluster behind it: every call fails, as it does when no silo is reachable.
/// (DispatchProxy needs an unsealed proxy type.)
/// </summary>
public class NoCluster : DispatchProxy
{
    public static IClusterClient Create() => DispatchProxy.Create<IClusterClient, NoCluster>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        throw new InvalidOperationException("no cluster in this test");
}
