using HotDash.Dashboard.Services.Analytics;

namespace HotDash.Dashboard.Tests.Analytics;

public sealed class ChartScaleTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(40, 10)]
    [InlineData(1_234, 500)]
    public void For_Counts_AreNeverScaledAndStepAboutAQuarterOfTheTop(double max, int ticks)
    {
        var scale = ChartScale.For(max, whole: true);

        Assert.Equal(1, scale.Factor);
        Assert.Equal(ticks, scale.Ticks);
    }

    [Fact]
    public void For_AFewCents_ScalesUpSoTheAxisIsNotFlatAndLabelsScaleBack()
    {
        var scale = ChartScale.For(0.048, whole: false);

        Assert.Equal(1_000, scale.Factor);
        // 48 plotted, a quarter is 12: the round step is 20 (ticks at $0.00, $0.02, $0.04, ...).
        Assert.Equal(20, scale.Ticks);
        Assert.Equal([48d, 12d], scale.Apply([0.048, 0.012]), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(0.02, scale.Unscale(20), 9);
    }

    [Fact]
    public void Apply_Gaps_StayGaps()
    {
        var scale = ChartScale.For(0.5, whole: false);

        var scaled = scale.Apply([0.5, null]);

        Assert.Equal(50, scaled[0]!.Value, 9);
        Assert.Null(scaled[1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(double.NaN)]
    public void For_NoData_IsTheIdentityWithStepOne(double max)
    {
        Assert.Equal(new ChartScale(1, 1), ChartScale.For(max, whole: false));
    }
}
