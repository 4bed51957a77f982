using HotDash.Dashboard.Access;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace HotDash.Dashboard.Tests.Access;

public sealed class DashboardCredentialsTests
{
    [Fact]
    public void Resolve_UiPasswordInEnvironment_WinsOverConfigAndMasterKey()
    {
        var credentials = Credentials("general_settings:\n  master_key: sk-master\n  ui_password: from-config\n",
            ("UI_USERNAME", "ops"), ("UI_PASSWORD", "from-env"));

        Assert.Equal("ops", credentials.Username);
        Assert.Equal("UI_PASSWORD", credentials.Source);
        Assert.True(credentials.Verify("ops", "from-env"));
        Assert.False(credentials.Verify("ops", "from-config"));
        Assert.False(credentials.Verify("ops", "sk-master"));
    }

    [Fact]
    public void Resolve_MasterKeyOnly_AdminWithTheMasterKey()
    {
        var credentials = Credentials("general_settings:\n  master_key: sk-master\n");

        Assert.False(credentials.IsOpen);
        Assert.Equal("master key", credentials.Source);
        Assert.True(credentials.Verify("admin", "sk-master"));
        Assert.False(credentials.Verify("Admin", "sk-master"));
        Assert.False(credentials.Verify("admin", "sk-maste"));
        Assert.False(credentials.Verify(null, null));
    }

    [Fact]
    public void Resolve_NothingSet_OpenAndEverythingPasses()
    {
        var credentials = Credentials("");

        Assert.True(credentials.IsOpen);
        Assert.True(credentials.Verify(null, null));
    }

    [Theory]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("/traces?x=1", "/traces?x=1")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("traces", "/")]
    public void ReturnUrls_Local_KeepsOnlyLocalPaths(string? returnUrl, string expected) =>
        Assert.Equal(expected, ReturnUrls.Local(returnUrl));

    private static DashboardCredentials Credentials(string yaml, params (string Key, string Value)[] environment) =>
        new(HotDashConfigLoader.FromYaml(yaml, null, _ => null),
            new ConfigurationBuilder().AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))).Build());
}
