namespace HotDash.Api.Management;

// Public keys are named (they identify a key); a secret key never appears in a log line.
internal static partial class ProjectManagementLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Project {ProjectId} ({Name}) created by {ChangedBy}")]
    public static partial void ProjectCreated(ILogger logger, string projectId, string name, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} project(s) deleted, with {KeyCount} API key(s), by {ChangedBy}")]
    public static partial void ProjectsDeleted(ILogger logger, int count, int keyCount, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project API key {PublicKey} generated for project {ProjectId} by {ChangedBy}")]
    public static partial void KeyGenerated(ILogger logger, string publicKey, string projectId, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} project API key(s) deleted by {ChangedBy}")]
    public static partial void KeysDeleted(ILogger logger, int count, string changedBy);
}
