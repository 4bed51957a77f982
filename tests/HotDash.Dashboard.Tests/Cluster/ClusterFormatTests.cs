using HotDash.Dashboard.Services.Cluster;

namespace HotDash.Dashboard.Tests.Cluster;

public sealed class ClusterFormatTests
{
    [Theory]
    [InlineData(45, "45 s")]
    [InlineData(12 * 60 + 5, "12 min 5 s")]
    [InlineData(3 * 3600 + 20 * 60 + 59, "3 h 20 min")]
    [InlineData(2 * 86400 + 4 * 3600 + 10, "2 d 4 h")]
    public void Uptime_Seconds_ReadableUnits(int seconds, string expected) =>
        Assert.Equal(expected, ClusterFormat.Uptime(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Uptime_NoneOrNegative_Dash()
    {
        Assert.Equal("–", ClusterFormat.Uptime(null));
        Assert.Equal("–", ClusterFormat.Uptime(TimeSpan.FromSeconds(-1)));
    }

    [Theory]
    [InlineData(512L, "512 B")]
    [InlineData(1536L, "1.5 KB")]
    [InlineData(512L << 20, "512 MB")]
    [InlineData(8_375_000_000L, "7.8 GB")]
    public void Bytes_Sizes_BinaryUnits(long bytes, string expected) => Assert.Equal(expected, ClusterFormat.Bytes(bytes));

    [Fact]
    public void MemoryAndPercent_KnownAndUnknown()
    {
        Assert.Equal("512 MB of 8 GB", ClusterFormat.Memory(512L << 20, 8L << 30));
        Assert.Equal("512 MB", ClusterFormat.Memory(512L << 20, null));
        Assert.Equal("–", ClusterFormat.Memory(null, 8L << 30));
        Assert.Equal("12.5 %", ClusterFormat.Percent(12.5f));
        Assert.Equal("–", ClusterFormat.Percent(null));
        Assert.Equal("–", ClusterFormat.Percent(float.NaN));
    }
}
