using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Registry;

internal static partial class RegistryGrainLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "embedded registry: a {Operation} could not be stored; it was undone")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string operation);

    [LoggerMessage(Level = LogLevel.Debug, Message = "embedded registry: {Total} spend row(s), {Inserted} new")]
    public static partial void SpendWritten(ILogger logger, int total, int inserted);
}
