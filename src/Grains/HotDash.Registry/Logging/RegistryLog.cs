using Microsoft.Extensions.Logging;

namespace HotDash.Registry.Logging;

internal static partial class RegistryLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "registry: another process is migrating schema {Schema}; waiting for it")]
    public static partial void WaitingForMigrationLock(ILogger logger, string schema);

    [LoggerMessage(Level = LogLevel.Information, Message = "registry: applied migration {Version} ({Name}) to schema {Schema} in {Milliseconds} ms")]
    public static partial void MigrationApplied(ILogger logger, int version, string name, string schema, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "registry: schema {Schema} is at version {Version}")]
    public static partial void SchemaReady(ILogger logger, string schema, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "registry: schema {Schema} is at version {Version}, newer than this HotDash knows ({Known}); running on it unchanged")]
    public static partial void SchemaNewer(ILogger logger, string schema, int version, int known);

    [LoggerMessage(Level = LogLevel.Debug, Message = "registry: spend batch of {Rows} rows: {Inserted} written, {Duplicates} already in the ledger")]
    public static partial void SpendBatchWritten(ILogger logger, int rows, int inserted, int duplicates);
}
