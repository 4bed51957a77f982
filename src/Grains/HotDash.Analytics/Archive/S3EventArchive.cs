using System.Runtime.CompilerServices;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace HotDash.Analytics.Archive;

/// <summary>
/// The archive on S3 or MinIO through the Minio SDK: one object per key in <paramref name="bucket"/>, every key under
/// <paramref name="prefix"/> (as Langfuse's <c>LANGFUSE_S3_EVENT_UPLOAD_PREFIX</c>). A PUT is atomic in S3, so a reader
/// never sees half an object.
/// </summary>
/// <param name="minio">The client (endpoint, credentials, region; shared, not disposed here).</param>
/// <param name="bucket">The bucket (created by <see cref="EnsureAsync"/> when missing).</param>
/// <param name="prefix">The key prefix, e.g. <c>events/</c>; may be empty.</param>
public sealed class S3EventArchive(IMinioClient minio, string bucket, string prefix) : IEventArchive
{
    private const string ContentType = "application/gzip";

    private readonly IMinioClient _minio = minio ?? throw new ArgumentNullException(nameof(minio));
    private readonly string _bucket = string.IsNullOrEmpty(bucket) ? throw new ArgumentException("a bucket is required", nameof(bucket)) : bucket;
    private readonly string _prefix = prefix ?? "";

    /// <inheritdoc />
    public string Kind => "s3";

    /// <summary>The bucket objects are stored in.</summary>
    public string Bucket => _bucket;

    /// <inheritdoc />
    public string KeyFor(string projectId, DateTimeOffset at, string batchId) =>
        EventArchiveKeys.For(_prefix, projectId, at, batchId);

    /// <inheritdoc />
    public async Task PutAsync(string key, ReadOnlyMemory<byte> gzipNdjson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        using var body = new MemoryStream(gzipNdjson.ToArray(), writable: false);
        var args = new PutObjectArgs()
            .WithBucket(_bucket)
            .WithObject(key)
            .WithStreamData(body)
            .WithObjectSize(body.Length)
            .WithContentType(ContentType);
        await _minio.PutObjectAsync(args, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        using var content = new MemoryStream();
        var args = new GetObjectArgs()
            .WithBucket(_bucket)
            .WithObject(key)
            .WithCallbackStream(async (stream, ct) => await stream.CopyToAsync(content, ct).ConfigureAwait(false));
        try
        {
            await _minio.GetObjectAsync(args, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
        return content.ToArray();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var args = new ListObjectsArgs().WithBucket(_bucket).WithPrefix(prefix).WithRecursive(true);
        // S3 lists keys in UTF-8 binary order, which is ordinal order for the keys written here.
        await foreach (var item in _minio.ListObjectsEnumAsync(args, cancellationToken).ConfigureAwait(false))
        {
            if (!item.IsDir)
            {
                yield return item.Key;
            }
        }
    }

    /// <inheritdoc />
    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        try
        {
            await _minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(_bucket), cancellationToken).ConfigureAwait(false);
        }
        catch (MinioException)
        {
            // Another silo may have created it first; anything else is a real failure.
            if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    private Task<bool> ExistsAsync(CancellationToken cancellationToken) =>
        _minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken);
}
