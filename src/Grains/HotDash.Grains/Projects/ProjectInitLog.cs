using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Projects;

// Public keys are named (they identify a key, as Langfuse shows them); secret keys never appear, not even in part.
internal static partial class ProjectInitLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "headless init: project {ProjectId} ({Name}) created")]
    public static partial void ProjectCreated(ILogger logger, string projectId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "headless init: project {ProjectId} renamed to {Name}")]
    public static partial void ProjectRenamed(ILogger logger, string projectId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "headless init: project API key {PublicKey} created for project {ProjectId}")]
    public static partial void KeyCreated(ILogger logger, string publicKey, string projectId);

    [LoggerMessage(Level = LogLevel.Information, Message = "headless init: project API key {PublicKey} of project {ProjectId} now has the configured secret (and project)")]
    public static partial void KeyReplaced(ILogger logger, string publicKey, string projectId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "headless init: project {ProjectId} and its configured key are in place; nothing to do")]
    public static partial void UpToDate(ILogger logger, string projectId);

    [LoggerMessage(Level = LogLevel.Error, Message = "headless init: {Variable} is not a Langfuse {Expected}... key; the key pair is skipped")]
    public static partial void MalformedKey(ILogger logger, string variable, string expected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "headless init: {Set} is set but {Missing} is not; a key pair needs both, so none is created")]
    public static partial void HalfAKeyPair(ILogger logger, string set, string missing);

    [LoggerMessage(Level = LogLevel.Information, Message = "headless init: {Variables} accepted and ignored (HotDash has no organisations or users; the master key is the admin)")]
    public static partial void Ignored(ILogger logger, string variables);

    [LoggerMessage(Level = LogLevel.Error, Message = "headless init: the registry refused {What} ({Status}, {Param}): {Reason}")]
    public static partial void Refused(ILogger logger, string what, int status, string? param, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "headless init failed (attempt {Attempt}); trying again in the background, backing off to once a minute")]
    public static partial void Failed(ILogger logger, Exception exception, int attempt);
}
