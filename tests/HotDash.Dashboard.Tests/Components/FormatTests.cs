using HotDash.Dashboard.Components.Shared;

namespace HotDash.Dashboard.Tests.Components;

public sealed class FormatTests
{
    [Theory]
    [InlineData("0.0012", "$0.0012")]
    [InlineData("0.5", "$0.50")]
    [InlineData("0", "$0.00")]
    [InlineData("1234.5", "$1,234.50")]
    [InlineData("0.000001234", "$0.000001")]
    [InlineData("-2", "-$2.00")]
    public void Cost_Value_DollarsForPeople(string usd, string expected) =>
        Assert.Equal(expected, Format.Cost(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Cost_Null_Dash() => Assert.Equal("–", Format.Cost(null));

    [Theory]
    [InlineData(850, "850 ms")]
    [InlineData(0.4, "0 ms")]
    [InlineData(1240, "1.24 s")]
    [InlineData(59_990, "59.99 s")]
    [InlineData(125_000, "2 min 5 s")]
    public void Latency_Milliseconds_MsBelowASecondElseSeconds(double ms, string expected) => Assert.Equal(expected, Format.Latency(ms));

    [Fact]
    public void Latency_NegativeOrNull_Dash()
    {
        Assert.Equal("–", Format.Latency(-1));
        Assert.Equal("–", Format.Latency(null));
    }

    [Fact]
    public void Seconds_FractionalSeconds_AsLatency() => Assert.Equal("850 ms", Format.Seconds(0.85));

    [Fact]
    public void Tokens_Large_ThousandsSeparators() => Assert.Equal("12,345", Format.Tokens(12345));

    [Fact]
    public void Time_EpochMs_UtcText() => Assert.Equal("1970-01-01 00:00:01 UTC", Format.Time(1000));
}
