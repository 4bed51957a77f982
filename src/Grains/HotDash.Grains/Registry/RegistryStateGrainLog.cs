using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Registry;

// The embedded registry's spend ledger pages (RegistryStateGrain.Spend.cs).
internal static partial class RegistryStateGrainLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "embedded registry: moved {Rows} spend ledger row(s) from the snapshot into {Pages} page(s)")]
    public static partial void LedgerMoved(ILogger logger, int rows, int pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "embedded registry: spend ledger page {Page} is missing from storage (slot {Slot}); its rows are not served")]
    public static partial void PageMissing(ILogger logger, long page, int slot);
}
