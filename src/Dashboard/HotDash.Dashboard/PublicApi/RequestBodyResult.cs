namespace HotDash.Dashboard.PublicApi;

/// <summary>A read request body, or why not (413 too large, 400 unreadable, 415 unsupported encoding).</summary>
internal readonly record struct RequestBodyResult(ReadOnlyMemory<byte> Body, int Status, string? Error)
{
    public bool Ok => Error is null;
}
