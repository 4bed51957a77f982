namespace HotDash.Analytics;

/// <summary>
/// The raw event archive: one gzip NDJSON object per project per flushed batch (S3 / MinIO through the Minio SDK, or a
/// local folder in the embedded default), keyed <c>{prefix}{projectId}/{yyyy-MM-dd}/{HH}/{batchId}.ndjson.gz</c> (UTC),
/// as Langfuse uploads events. The writer grains replay pending batches from it.
/// </summary>
public interface IEventArchive
{
    /// <summary><c>s3</c> or <c>folder</c>.</summary>
    string Kind { get; }

    /// <summary>The key an object for this project, time and batch gets.</summary>
    string KeyFor(string projectId, DateTimeOffset at, string batchId);

    /// <summary>Stores an object (overwrites: a retried flush writes the same key). Throws when the store fails.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> gzipNdjson, CancellationToken cancellationToken = default);

    /// <summary>Reads an object; <see langword="null"/> when it does not exist.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The keys under <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Creates the bucket or folder if missing (run at silo start).</summary>
    Task EnsureAsync(CancellationToken cancellationToken = default);
}
