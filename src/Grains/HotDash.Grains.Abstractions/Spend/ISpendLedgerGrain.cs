namespace HotDash.Grains;

/// <summary>
/// Where gateways ship their spend rows (key: <see cref="DefaultKey"/>, a stateless worker): one call a batch, answered
/// only once the batch is durable in the registry store (the PostgreSQL ledger, or the embedded registry's state).
/// Idempotent by <see cref="SpendRow.RequestId"/>, so a gateway retries a batch until it is answered and nothing is
/// lost or counted twice, even when a silo dies mid-batch.
/// </summary>
public interface ISpendLedgerGrain : IGrainWithIntegerKey
{
    /// <summary>The key every caller uses.</summary>
    const long DefaultKey = 0;

    /// <summary>Writes the rows; returns how many were new to the ledger.</summary>
    Task<int> Write(ImmutableArray<SpendRow> rows);
}
