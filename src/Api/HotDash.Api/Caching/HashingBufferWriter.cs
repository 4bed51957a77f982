using System.Buffers;
using System.Security.Cryptography;

namespace HotDash.Api.Caching;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that feeds everything written to it into a SHA-256 and keeps nothing: a
/// <see cref="System.Text.Json.Utf8JsonWriter"/> over it hashes a canonical JSON text of any size in one rented buffer.
/// </summary>
internal sealed class HashingBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);

    /// <summary>Hashes the <paramref name="count"/> bytes written into the last span or memory handed out.</summary>
    public void Advance(int count)
    {
        if (count > 0)
        {
            hash.AppendData(buffer, 0, count);
        }
    }

    /// <summary>The rented buffer (at least <paramref name="sizeHint"/> bytes); what was in it is already hashed.</summary>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer;
    }

    /// <summary>The rented buffer (at least <paramref name="sizeHint"/> bytes); what was in it is already hashed.</summary>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer;
    }

    /// <summary>Writes the SHA-256 of everything advanced so far into <paramref name="destination"/> (32 bytes) and starts over.</summary>
    public void Finish(Span<byte> destination) => hash.GetHashAndReset(destination);

    /// <summary>Returns the rented buffer.</summary>
    public void Dispose()
    {
        hash.Dispose();
        var b = buffer;
        buffer = [];
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
        }
    }
}
