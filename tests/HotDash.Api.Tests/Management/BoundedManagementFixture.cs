namespace HotDash.Api.Tests.Management;

/// <summary>A management gateway whose config sets <c>default_team_params</c> and <c>upperbound_key_generate_params</c>.</summary>
public sealed class BoundedManagementFixture : IAsyncLifetime
{
    public ManagementGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await ManagementGateway.StartAsync("""
          default_team_params:
            max_budget: 25.5
            budget_duration: 30d
            tpm_limit: 5000
            rpm_limit: 50
            models: [mock-chat]
          upperbound_key_generate_params:
            max_budget: 100
            budget_duration: 30d
            duration: 90d
            max_parallel_requests: 10
            tpm_limit: 100000
            rpm_limit: 1000
        """);

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
