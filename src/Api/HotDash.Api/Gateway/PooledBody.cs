using System.Buffers;

namespace HotDash.Api.Gateway;

/// <summary>A request or response body held in a rented array; return it with <see cref="Dispose"/>.</summary>
internal sealed class PooledBody : IDisposable
{
    private byte[] buffer;

    public PooledBody(int capacity) => buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, Length);

    public Memory<byte> FreeSpace(int atLeast)
    {
        if (buffer.Length - Length < atLeast)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, Length + atLeast));
            buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }
        return buffer.AsMemory(Length);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Reads a whole stream, stopping once more than <paramref name="limit"/> bytes arrived.</summary>
    /// <returns>False when the stream is longer than the limit.</returns>
    public static async ValueTask<(PooledBody Body, bool WithinLimit)> ReadAsync(Stream stream, long? declaredLength, long limit, CancellationToken ct)
    {
        var body = new PooledBody((int)Math.Min(declaredLength ?? 4096, limit) + 1);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(body.FreeSpace(4096), ct);
                if (read == 0)
                {
                    return (body, true);
                }
                body.Advance(read);
                if (body.Length > limit)
                {
                    return (body, false);
                }
            }
        }
        catch
        {
            body.Dispose(); // the caller never sees it: give the buffer back
            throw;
        }
    }

    public void Dispose()
    {
        var b = buffer;
        buffer = [];
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
