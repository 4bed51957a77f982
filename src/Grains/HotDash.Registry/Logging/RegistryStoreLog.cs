using Microsoft.Extensions.Logging;

namespace HotDash.Registry.Logging;

internal static partial class RegistryStoreLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "registry: {Operation} {ObjectId} written (by {ChangedBy})")]
    public static partial void Written(ILogger logger, string operation, string objectId, string changedBy);

    [LoggerMessage(Level = LogLevel.Debug, Message = "registry: {Operation} {ObjectId} refused ({Status}, {Param}): {Reason}")]
    public static partial void Refused(ILogger logger, string operation, string objectId, int status, string? param, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "registry: {Operation} {ObjectId} met a concurrent change ({SqlState} {Constraint}); attempt {Attempt} of {Attempts}")]
    public static partial void Retrying(ILogger logger, string operation, string objectId, string sqlState, string? constraint, int attempt, int attempts);
}
