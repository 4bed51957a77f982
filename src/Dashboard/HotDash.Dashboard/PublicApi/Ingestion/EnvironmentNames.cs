using System.Text.RegularExpressions;

namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>Langfuse's public environment rule (<c>PublicEnvironmentName</c>), shared by the ingestion API and the OTel mapper.</summary>
internal static partial class EnvironmentNames
{
    /// <summary>What Langfuse stores when no environment was sent or the one sent is not allowed.</summary>
    public const string Default = "default";

    /// <summary>
    /// Lower case, every leading <c>langfuse</c> prefix (with an optional <c>-</c>/<c>_</c>) removed since that namespace
    /// is Langfuse's own, cut to 40 characters; <see cref="Default"/> unless the rest is <c>[a-z0-9-_]+</c>.
    /// </summary>
    public static string Normalize(string value)
    {
        var stripped = LangfusePrefix().Replace(value.ToLowerInvariant(), "");
        var truncated = stripped.Length > 40 ? stripped[..40] : stripped;
        return truncated.Length > 0 && Allowed().IsMatch(truncated) ? truncated : Default;
    }

    [GeneratedRegex("^(?:langfuse[-_]?)+")]
    private static partial Regex LangfusePrefix();

    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex Allowed();
}
