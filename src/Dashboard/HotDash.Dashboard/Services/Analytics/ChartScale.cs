namespace HotDash.Dashboard.Services.Analytics;

/// <summary>
/// A y axis that fits the data. MudChart's tick spacing is a whole number (at least 1, default 20), so a series of a few
/// cents or single requests draws as a flat line on a 0..20 axis: small values are plotted scaled up by
/// <see cref="Factor"/> (the axis labels divide it back) and the spacing is a round step of about a quarter of the top.
/// </summary>
/// <param name="Factor">What the plotted values are multiplied by (a power of ten, 1 for values of 10 and more).</param>
/// <param name="Ticks">The spacing between y ticks, in plotted units (1, 2 or 5 times a power of ten).</param>
public readonly record struct ChartScale(double Factor, int Ticks)
{
    /// <summary>The scale for values up to <paramref name="max"/>; <paramref name="whole"/> values (counts) are never scaled.</summary>
    public static ChartScale For(double max, bool whole)
    {
        if (!(max > 0) || double.IsInfinity(max))
        {
            return new ChartScale(1, 1);
        }
        var factor = whole || max >= 10 ? 1 : Math.Pow(10, Math.Ceiling(Math.Log10(10 / max)));
        return new ChartScale(factor, NiceStep(max * factor / 4));
    }

    /// <summary>Multiplies the values by <see cref="Factor"/>.</summary>
    public double[] Apply(double[] values)
    {
        if (Factor == 1)
        {
            return values;
        }
        var scaled = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            scaled[i] = values[i] * Factor;
        }
        return scaled;
    }

    /// <summary>Multiplies the values that exist by <see cref="Factor"/> (gaps stay gaps).</summary>
    public double?[] Apply(double?[] values)
    {
        if (Factor == 1)
        {
            return values;
        }
        var scaled = new double?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            scaled[i] = values[i] * Factor;
        }
        return scaled;
    }

    /// <summary>A plotted value back in the data's unit (for axis labels).</summary>
    public double Unscale(double plotted) => plotted / Factor;

    private static int NiceStep(double rough)
    {
        if (rough <= 1)
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = (rough / magnitude) switch
        {
            <= 1 => 1,
            <= 2 => 2,
            <= 5 => 5,
            _ => 10,
        } * magnitude;
        return (int)Math.Min(step, int.MaxValue);
    }
}
