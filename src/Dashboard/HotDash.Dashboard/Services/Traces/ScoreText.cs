using System.Globalization;
using HotDash.Grains;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>A score's value as people read it: categorical and boolean scores as their text, numbers with sensible decimals.</summary>
public static class ScoreText
{
    /// <summary>
    /// <c>CATEGORICAL</c>: the category; <c>BOOLEAN</c>: <c>True</c>/<c>False</c>; numeric: whole numbers with
    /// thousands separators, others to two decimals from 1 up and four significant-ish decimals below it
    /// (<c>0.8567</c>, not <c>0.85670000000000002</c>); "–" when there is no value.
    /// </summary>
    public static string Value(ScoreRecord score)
    {
        var type = score.DataType?.ToUpperInvariant();
        if (type == "CATEGORICAL")
        {
            return score.StringValue ?? "–";
        }
        if (type == "BOOLEAN")
        {
            return score.StringValue ?? (score.Value is { } b ? (b != 0 ? "True" : "False") : "–");
        }
        if (score.Value is not { } v || double.IsNaN(v))
        {
            // A numeric score sent with only a string value still shows what was sent.
            return score.StringValue ?? "–";
        }
        return Number(v);
    }

    /// <summary>A numeric score value: "3", "1,250", "12.35", "0.8567", "-0.5".</summary>
    public static string Number(double v)
    {
        var inv = CultureInfo.InvariantCulture;
        if (double.IsInfinity(v))
        {
            return v > 0 ? "∞" : "-∞";
        }
        if (Math.Abs(v - Math.Round(v)) < 1e-9)
        {
            return Math.Round(v).ToString("#,##0", inv);
        }
        return Math.Abs(v) >= 1 ? v.ToString("#,##0.##", inv) : v.ToString("0.####", inv);
    }
}
