namespace HotDash.Api.Management;

internal static partial class ManagementLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Key {KeyName} generated (alias {KeyAlias}, team {TeamId}, user {UserId}) by {ChangedBy}")]
    public static partial void KeyGenerated(ILogger logger, string? keyName, string? keyAlias, string? teamId, string? userId, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {KeyName} updated by {ChangedBy}")]
    public static partial void KeyUpdated(ILogger logger, string? keyName, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {KeyName} {Action} by {ChangedBy}")]
    public static partial void KeyBlockChanged(ILogger logger, string? keyName, string action, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {OldKeyName} regenerated as {KeyName} by {ChangedBy}")]
    public static partial void KeyRegenerated(ILogger logger, string? oldKeyName, string? keyName, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} key(s) deleted by {ChangedBy}")]
    public static partial void KeysDeleted(ILogger logger, int count, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Team {TeamId} ({TeamAlias}) {Action} by {ChangedBy}")]
    public static partial void TeamChanged(ILogger logger, string teamId, string? teamAlias, string action, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} team(s) deleted, with {KeyCount} key(s), by {ChangedBy}")]
    public static partial void TeamsDeleted(ILogger logger, int count, int keyCount, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Team {TeamId}: {Count} member(s) {Action} by {ChangedBy}")]
    public static partial void MembersChanged(ILogger logger, string teamId, int count, string action, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} {Action} by {ChangedBy}")]
    public static partial void UserChanged(ILogger logger, string userId, string action, string changedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} user(s) deleted, with {KeyCount} key(s), by {ChangedBy}")]
    public static partial void UsersDeleted(ILogger logger, int count, int keyCount, string changedBy);

    // The message is left out on purpose: it can quote the caller's sk- key.
    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused with {Status} (param {Param})")]
    public static partial void Refused(ILogger logger, string method, string path, int status, string? param);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the cluster did not answer")]
    public static partial void ClusterFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path}: the user was created, but making it an admin of team {TeamId} failed with {Status}: {Message}")]
    public static partial void MembershipAfterCreateFailed(ILogger logger, string method, string path, string teamId, int status, string? message);
}
