namespace HotDash.Dashboard.PublicApi;

internal static partial class PublicApiLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "public API {Method} {Path}: the cluster did not answer: {Reason}")]
    public static partial void ClusterFailed(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "public API {Method} {Path} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ingestion: {Count} event(s) of project {ProjectId} not stored, answered 500 so the SDK retries: {Reason}")]
    public static partial void IngestionNotStored(ILogger logger, int count, string projectId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "public API {Method} {Path} refused with {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, int status, string reason);
}
