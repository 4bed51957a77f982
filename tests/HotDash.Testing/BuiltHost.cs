using System.Reflection;
using Xunit;

namespace HotDash.Testing;

/// <summary>
/// Where a HotDash host's own build output is. The test project that runs it names the path in its csproj
/// (<c>AssemblyMetadata</c> KEY pointing at <c>src/.../bin/$(Configuration)/...</c>, next to the ProjectReference that
/// builds it), so it is read from whichever loaded assembly carries KEY: that test project's.
/// </summary>
public static class BuiltHost
{
    public static string SiloDll => Dll("SiloDll", "HOTDASH_SILO_DLL", "src/Silo/HotDash.Silo");

    public static string GatewayDll => Dll("GatewayDll", "HOTDASH_GATEWAY_DLL", "src/Api/HotDash.Api");

    public static string DashboardDll => Dll("DashboardDll", "HOTDASH_DASHBOARD_DLL", "src/Dashboard/HotDash.Dashboard");

    /// <summary>The dll named by <paramref name="variable"/> if set, else by the metadata <paramref name="key"/>; fails if it is not built.</summary>
    public static string Dll(string key, string variable, string project)
    {
        var path = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set : FromMetadata(key);
        path = Path.GetFullPath(path);
        Assert.True(File.Exists(path), $"not built: {path} is missing (dotnet build {project})");
        return path;
    }

    private static string FromMetadata(string key)
    {
        var paths = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic)
            .SelectMany(a => a.GetCustomAttributes<AssemblyMetadataAttribute>())
            .Where(a => a.Key == key && a.Value is not null)
            .Select(a => a.Value!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(paths.Count == 1, $"expected one [AssemblyMetadata(\"{key}\", path)] in the test project, found {paths.Count}");
        return paths[0];
    }
}
