namespace HotDash.Api.Tests.Management;

/// <summary>A management gateway with a master key and no <c>default_team_params</c> or upper bounds; tests share it, each with its own objects.</summary>
public sealed class ManagementFixture : IAsyncLifetime
{
    public ManagementGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await ManagementGateway.StartAsync();

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
