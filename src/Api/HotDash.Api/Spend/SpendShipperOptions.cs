using System.ComponentModel.DataAnnotations;

namespace HotDash.Api.Spend;

/// <summary>How the gateway ships spend rows to the ledger (<c>HotDash:Spend</c>).</summary>
public sealed class SpendShipperOptions
{
    /// <summary>Rows held while the ledger is slow or away; beyond this new rows are dropped (and counted), never waited for.</summary>
    [Range(1, 10_000_000)]
    public int Capacity { get; set; } = 100_000;

    /// <summary>The most rows in one ledger write.</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 1_000;

    /// <summary>The longest a row waits for its batch to fill before the batch is sent anyway.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The wait before the first retry of a failed batch; it doubles with each failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between retries of a failed batch.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long shutdown may spend sending the rows still held.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
