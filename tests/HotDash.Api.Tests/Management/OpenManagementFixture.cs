namespace HotDash.Api.Tests.Management;

/// <summary>A gateway with no master key: open, and its management API with it (LiteLLM without a master key).</summary>
public sealed class OpenManagementFixture : IAsyncLifetime
{
    public ManagementGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await ManagementGateway.StartAsync(masterKey: null);

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
