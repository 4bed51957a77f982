using System.Buffers;
using System.IO.Compression;

namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// Reads a request body into memory under a size limit (checked on <c>Content-Length</c> first, then while reading,
/// since chunked bodies have none), undoing <c>Content-Encoding: gzip</c> with the same limit on the decompressed bytes.
/// </summary>
internal static class RequestBody
{
    /// <summary>Langfuse's ingestion limit (<c>sizeLimit: "4.5mb"</c>, in the <c>bytes</c> package's binary megabytes).</summary>
    public const int IngestionLimit = 4_718_592;

    public static async Task<RequestBodyResult> ReadAsync(HttpRequest request, int limit, bool allowGzip, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > limit && !IsGzip(request))
        {
            return TooLarge(limit);
        }
        var raw = await ReadLimitedAsync(request.Body, limit, ct);
        if (raw is null)
        {
            return TooLarge(limit);
        }
        if (!IsGzip(request))
        {
            return new RequestBodyResult(raw, StatusCodes.Status200OK, null);
        }
        if (!allowGzip)
        {
            return new RequestBodyResult(default, StatusCodes.Status415UnsupportedMediaType, "Unsupported Content-Encoding");
        }
        try
        {
            await using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            var inflated = await ReadLimitedAsync(gzip, limit, ct);
            return inflated is null ? TooLarge(limit) : new RequestBodyResult(inflated, StatusCodes.Status200OK, null);
        }
        catch (InvalidDataException)
        {
            return new RequestBodyResult(default, StatusCodes.Status400BadRequest, "Failed to decompress request body");
        }
    }

    private static bool IsGzip(HttpRequest request) =>
        request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);

    private static RequestBodyResult TooLarge(int limit) =>
        new(default, StatusCodes.Status413PayloadTooLarge, $"Request body exceeds the limit of {limit / 1024.0 / 1024.0:0.#} MB");

    /// <summary>The whole stream, or <see langword="null"/> once it passes <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, int limit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return null;
                    }
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > limit)
                {
                    return null;
                }
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
