namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>A span's status (<c>Status</c>).</summary>
/// <param name="Code">0 unset, 1 ok, 2 error.</param>
/// <param name="Message">The description (set with errors).</param>
public sealed record OtlpStatus(int Code, string Message)
{
    /// <summary>The status code of a failed span.</summary>
    public const int Error = 2;

    /// <summary>No status set.</summary>
    public static readonly OtlpStatus Unset = new(0, "");
}
