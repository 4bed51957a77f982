using HotDash.Api.Infrastructure;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotDash.Api.Tests.Management;

/// <summary>
/// A bad <c>default_team_params</c> or <c>upperbound_key_generate_params</c> fails the host's start validation, naming
/// the setting (Program turns that into one line and exit code 2, as for every config error).
/// </summary>
public sealed class ManagementConfigErrorTests
{
    private static ServiceProvider Services(string litellmSettings)
    {
        var services = new ServiceCollection();
        services.AddManagementApi(HotDashConfigLoader.FromYaml("litellm_settings:\n" + litellmSettings, null, _ => null));
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData("  upperbound_key_generate_params:\n    rpm_limit: -1\n", "litellm_settings.upperbound_key_generate_params.rpm_limit")]
    [InlineData("  default_team_params:\n    budget_duration: 30x\n", "litellm_settings.default_team_params.budget_duration")]
    public void StartValidation_BadManagementSetting_FailsNamingTheSetting(string litellmSettings, string setting)
    {
        using var services = Services(litellmSettings);

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith(setting, Assert.Single(e.Failures));
    }

    [Fact]
    public void StartValidation_GoodManagementSettings_Passes()
    {
        using var services = Services("  upperbound_key_generate_params:\n    rpm_limit: 10\n  default_team_params:\n    budget_duration: 30d\n");

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.NotNull(services.GetRequiredService<IOptions<HotDash.Api.Management.ManagementSettings>>().Value.DefaultTeamParams);
    }
}
