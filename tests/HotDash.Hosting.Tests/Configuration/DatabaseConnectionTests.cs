using HotDash.Hosting.Configuration;
using Npgsql;

namespace HotDash.Hosting.Tests.Configuration;

public sealed class DatabaseConnectionTests
{
    private static NpgsqlConnectionStringBuilder Parsed(string url) => new(DatabaseConnection.FromUrl(url, "DATABASE_URL").ConnectionString);

    [Fact]
    public void FromUrl_LiteLlmStyleUrl_BecomesHostPortUserPasswordDatabase()
    {
        var target = DatabaseConnection.FromUrl("postgresql://llmproxy:dbpassword9090@db.internal:5433/litellm", "DATABASE_URL");
        var cs = new NpgsqlConnectionStringBuilder(target.ConnectionString);

        Assert.Equal(("db.internal", 5433, "llmproxy", "dbpassword9090", "litellm"), (cs.Host, cs.Port, cs.Username, cs.Password, cs.Database));
        Assert.Equal("db.internal:5433/litellm", target.Endpoint);
        Assert.Empty(target.IgnoredParameters);
    }

    [Theory]
    [InlineData("postgres://u:p%40ss%2Fw%3Ard@db/app", "p@ss/w:rd")] // percent-encoded, postgres:// scheme
    [InlineData("postgresql://u:p@ss@db/app", "p@ss")]               // an unescaped @ in the password
    [InlineData("postgresql://u:a:b@db/app", "a:b")]                 // the first colon separates user and password
    public void FromUrl_PasswordWithSpecialCharacters_IsDecoded(string url, string password)
    {
        var cs = Parsed(url);

        Assert.Equal(("db", 5432, "u", password, "app"), (cs.Host, cs.Port, cs.Username, cs.Password, cs.Database));
    }

    [Fact]
    public void FromUrl_LibpqAndPrismaParameters_MapToNpgsqlSettings()
    {
        var target = DatabaseConnection.FromUrl(
            "postgresql://u:p@db/app?sslmode=verify-full&connect_timeout=7&application_name=litellm-proxy&connection_limit=12&pgbouncer=true&schema=public&keepalives=1",
            "DATABASE_URL");
        var cs = new NpgsqlConnectionStringBuilder(target.ConnectionString);

        Assert.Equal(SslMode.VerifyFull, cs.SslMode);
        Assert.Equal(7, cs.Timeout);
        Assert.Equal("litellm-proxy", cs.ApplicationName);
        Assert.Equal(12, cs.MaxPoolSize);
        Assert.True(cs.NoResetOnClose);
        Assert.Equal(["schema (a Prisma setting)", "keepalives"], target.IgnoredParameters);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    public void FromUrl_SslMode_IsTakenAsLibpqMeansIt(string mode, SslMode expected) =>
        Assert.Equal(expected, Parsed($"postgresql://u@db/app?sslmode={mode}").SslMode);

    [Fact]
    public void FromUrl_SeveralHosts_BecomeNpgsqlsHostList()
    {
        var target = DatabaseConnection.FromUrl("postgresql://u@db1:5432,db2:5433,db3/app?target_session_attrs=read-write", "DATABASE_URL");
        var cs = new NpgsqlConnectionStringBuilder(target.ConnectionString);

        Assert.Equal("db1:5432,db2:5433,db3:5432", cs.Host);
        Assert.Equal("read-write", cs.TargetSessionAttributes);
        Assert.Equal("db1:5432,db2:5433,db3:5432/app", target.Endpoint);
    }

    [Fact]
    public void FromUrl_Ipv6HostAndSocketFolder_AreUnderstood()
    {
        var v6 = Parsed("postgresql://u@[::1]:5434/app");
        var socket = Parsed("postgresql://u@/app?host=/var/run/postgresql");

        Assert.Equal(("::1", 5434), (v6.Host, v6.Port));
        Assert.Equal("/var/run/postgresql", socket.Host);
    }

    [Fact]
    public void FromUrl_NpgsqlKeyValueString_IsTakenAsItIs()
    {
        var target = DatabaseConnection.FromUrl("Host=db;Port=6000;Username=u;Password=p;Database=app;Maximum Pool Size=5", "DATABASE_URL");
        var cs = new NpgsqlConnectionStringBuilder(target.ConnectionString);

        Assert.Equal(("db", 6000, "u", "p", "app", 5), (cs.Host, cs.Port, cs.Username, cs.Password, cs.Database, cs.MaxPoolSize));
        Assert.Equal("db:6000/app", target.Endpoint);
    }

    [Theory]
    [InlineData("mysql://u:s3cretpw@db/app", "must be a postgresql:// URL")]
    [InlineData("postgresql://u:s3cretpw@db:99999/app", "port must be a whole number from 1 to 65535")]
    [InlineData("postgresql://u:s3cretpw@/app", "names no host")]
    [InlineData("postgresql://u:s3cretpw@db/app?sslmode=sometimes", "sslmode must be")]
    [InlineData("postgresql://u:s3cretpw@[::1/app", "unclosed [")]
    [InlineData("Host=db;Password=s3cretpw;Bogus=1", "nor a valid Npgsql connection string")]
    [InlineData("Password=s3cretpw;Database=app", "names no Host")]
    public void FromUrl_Malformed_FailsNamingTheSettingButNeverThePassword(string url, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => DatabaseConnection.FromUrl(url, "general_settings.database_url"));

        Assert.Equal("general_settings.database_url", e.KeyPath);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cretpw", e.Message, StringComparison.Ordinal);
    }
}
