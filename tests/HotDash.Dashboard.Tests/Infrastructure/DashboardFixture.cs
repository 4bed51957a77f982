using System.Globalization;
using Microsoft.AspNetCore.Mvc.Testing;
using Orleans.Dashboard;

namespace HotDash.Dashboard.Tests.Infrastructure;

/// <summary>
/// A real silo, a stand-in gateway and the real dashboard (in memory, through <see cref="WebApplicationFactory{TEntryPoint}"/>)
/// connected to that silo over its Orleans gateway port. The dashboard reads its settings from the environment, as in
/// production, so they are set here for the whole test process; the collection keeps the tests using it sequential.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    // Settings the test runner's environment might carry that would point the dashboard elsewhere.
    private static readonly string[] Cleared =
        ["HOTDASH_CONFIG", "HOTDASH_GATEWAY_URL", "HOTDASH_CLUSTER_ID", "HOTDASH_SERVICE_ID", "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "DATABASE_URL",
        // Unset, the dashboard is open (no login); tests of the login build their own hosts with credentials.
        "LITELLM_MASTER_KEY", "HOTDASH_MASTER_KEY", "UI_USERNAME", "UI_PASSWORD"];

    private TestSilo? _silo;
    private FakeGateway? _gateway;

    internal TestSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    internal FakeGateway Gateway => _gateway ?? throw new InvalidOperationException("not started");

    public WebApplicationFactory<Program> Dashboard { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The Orleans Dashboard's silo side, as every HotDash silo has it: the dashboard's /orleans reads its counters.
        _silo = await TestSilo.StartAsync(silo => silo.AddDashboard());
        _gateway = await FakeGateway.StartAsync();
        foreach (var name in Cleared)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        Environment.SetEnvironmentVariable("HOTDASH_BIND", "127.0.0.1");
        // 0: no port check; WebApplicationFactory serves in memory.
        Environment.SetEnvironmentVariable("HOTDASH_DASHBOARD_PORT", "0");
        Environment.SetEnvironmentVariable("HOTDASH_ORLEANS_GATEWAY_PORT", _silo.GatewayPort.ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("HOTDASH_API_PORT", _gateway.Port.ToString(CultureInfo.InvariantCulture));
        Dashboard = new WebApplicationFactory<Program>();
        // Builds and starts the host now: its start waits for the Orleans client to connect.
        using var client = Dashboard.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await Dashboard.DisposeAsync();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
