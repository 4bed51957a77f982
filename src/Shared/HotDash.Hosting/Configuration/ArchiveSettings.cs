namespace HotDash.Hosting.Configuration;

/// <summary>
/// <c>hotdash.archive</c>: where raw event batches are kept. S3 (or MinIO) when <see cref="S3Endpoint"/> is set, else a
/// local folder. The environment wins over the file: <c>S3_*</c>, then Langfuse's <c>LANGFUSE_S3_EVENT_UPLOAD_*</c>; the
/// generic <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and <c>AWS_REGION</c> only fill in what neither names.
/// </summary>
public sealed class ArchiveSettings
{
    /// <summary>The S3 endpoint (<c>s3_endpoint</c>, <c>S3_ENDPOINT</c>, <c>LANGFUSE_S3_EVENT_UPLOAD_ENDPOINT</c>) as <c>scheme://host:port</c>; null: the folder archive.</summary>
    public string? S3Endpoint { get; init; }

    /// <summary>The bucket (<c>bucket</c>, <c>S3_BUCKET</c>, <c>LANGFUSE_S3_EVENT_UPLOAD_BUCKET</c>), default <c>hotdash-events</c>; created when missing.</summary>
    public string Bucket { get; init; } = "hotdash-events";

    /// <summary>The access key id (<c>access_key</c>, <c>S3_ACCESS_KEY</c>, <c>LANGFUSE_S3_EVENT_UPLOAD_ACCESS_KEY_ID</c>, <c>AWS_ACCESS_KEY_ID</c>).</summary>
    public string? AccessKey { get; init; }

    /// <summary>The secret key (<c>secret_key</c>, <c>S3_SECRET_KEY</c>, <c>LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY</c>, <c>AWS_SECRET_ACCESS_KEY</c>). Never logged.</summary>
    public string? SecretKey { get; init; }

    /// <summary>The region requests are signed for (<c>region</c>, <c>S3_REGION</c>, <c>LANGFUSE_S3_EVENT_UPLOAD_REGION</c>, <c>AWS_REGION</c>), default <c>us-east-1</c>.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The key prefix of every object (<c>prefix</c>, <c>S3_PREFIX</c>, <c>LANGFUSE_S3_EVENT_UPLOAD_PREFIX</c>), default <c>events/</c>.</summary>
    public string Prefix { get; init; } = "events/";

    /// <summary>The folder archive's root (<c>folder</c>, <c>HOTDASH_ARCHIVE_DIR</c>), default <c>{data_dir}/archive</c>; an absolute path.</summary>
    public string Folder { get; init; } = "";

    /// <summary>What the startup log and readiness name: <c>host:port/bucket</c> for S3, else the folder. No credentials.</summary>
    public string Describe() => S3Endpoint is { } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
        ? $"{uri.Host}:{uri.Port}/{Bucket}"
        : Folder;
}
