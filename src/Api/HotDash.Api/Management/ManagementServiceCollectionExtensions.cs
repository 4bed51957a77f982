using HotDash.Api.Management;
using HotDash.Hosting.Configuration;

// In the namespace of the gateway's other registrations, so GatewayHostingExtensions adds it with one line.
namespace HotDash.Api.Infrastructure;

/// <summary>Registers the LiteLLM-compatible management API's services.</summary>
internal static class ManagementServiceCollectionExtensions
{
    public static IServiceCollection AddManagementApi(this IServiceCollection services, HotDashConfig config)
    {
        // default_team_params and upperbound_key_generate_params are checked at start: a bad value stops the gateway
        // with exit code 2 and the setting's name, like every other config error.
        var check = new ManagementSettings();
        check.Load(config);
        services.AddOptions<ManagementSettings>()
            .Configure(s => s.Load(config))
            .Validate(s => s.ConfigError is null, check.ConfigError ?? "valid")
            .ValidateOnStart();
        services.AddSingleton<KeyManagement>();
        services.AddSingleton<TeamManagement>();
        services.AddSingleton<UserManagement>();
        services.AddSingleton<SpendManagement>();
        return services;
    }
}
