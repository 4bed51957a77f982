using HotDash.Api.Management;
using HotDash.Hosting.Configuration;

namespace HotDash.Api.Tests.Management;

public sealed class ManagementSettingsTests
{
    private static ManagementSettings Load(string litellmSettings)
    {
        var settings = new ManagementSettings();
        settings.Load(HotDashConfigLoader.FromYaml("litellm_settings:\n" + litellmSettings, null, _ => null));
        return settings;
    }

    [Fact]
    public void Load_NoSettings_HasNoDefaultsAndNoBounds()
    {
        var settings = Load("  drop_params: true\n");

        Assert.Null(settings.ConfigError);
        Assert.Null(settings.DefaultTeamParams);
        Assert.Equal(UpperBounds.None, settings.KeyUpperBounds);
    }

    [Fact]
    public void Load_DefaultTeamParams_KeepsTheFieldsForEveryTeam()
    {
        var settings = Load("""
              default_team_params:
                max_budget: 100.5
                budget_duration: 30d
                tpm_limit: 10000
                rpm_limit: 1000
                models: [gpt-4o, gpt-4o-mini]
                team_alias: not-for-every-team
            """);

        Assert.Null(settings.ConfigError);
        var defaults = settings.DefaultTeamParams!.Value;
        Assert.Equal(100.5m, defaults.GetProperty("max_budget").GetDecimal());
        Assert.Equal("30d", defaults.GetProperty("budget_duration").GetString());
        Assert.Equal(2, defaults.GetProperty("models").GetArrayLength());
        Assert.False(defaults.TryGetProperty("team_alias", out _));
    }

    [Fact]
    public void Load_UpperBounds_AreRead()
    {
        var settings = Load("""
              upperbound_key_generate_params:
                max_budget: 100
                budget_duration: 30d
                duration: 90d
                max_parallel_requests: 10
                tpm_limit: 100000
                rpm_limit: 1000
            """);

        Assert.Null(settings.ConfigError);
        var b = settings.KeyUpperBounds;
        Assert.Equal((100m, TimeSpan.FromDays(30), TimeSpan.FromDays(90), 10, 100000L, 1000L),
            (b.MaxBudget!.Value, b.BudgetDuration!.Value, b.Duration!.Value, b.MaxParallelRequests!.Value, b.TpmLimit!.Value, b.RpmLimit!.Value));
    }

    [Theory]
    [InlineData("  default_team_params:\n    rpm_limit: -1\n", "litellm_settings.default_team_params.rpm_limit")]
    [InlineData("  default_team_params:\n    budget_duration: 30x\n", "litellm_settings.default_team_params.budget_duration")]
    [InlineData("  default_team_params: [1]\n", "litellm_settings.default_team_params")]
    [InlineData("  upperbound_key_generate_params:\n    duration: 30x\n", "litellm_settings.upperbound_key_generate_params.duration")]
    [InlineData("  upperbound_key_generate_params:\n    max_budget: lots\n", "litellm_settings.upperbound_key_generate_params.max_budget")]
    public void Load_BadValue_IsAConfigErrorNamingTheSetting(string yaml, string setting)
    {
        var settings = Load(yaml);

        Assert.NotNull(settings.ConfigError);
        Assert.StartsWith(setting, settings.ConfigError);
    }
}
