using HotDash.Registry;
using Orleans.Concurrency;

namespace HotDash.Grains.Spend;

/// <summary>
/// Takes the gateways' spend batches into the registry store (the PostgreSQL ledger, or the embedded registry) and
/// answers only once the batch is stored. A stateless worker, so each silo writes the batches that enter it, without
/// another hop. Failures are not caught: the gateway sees them and retries the batch, which the store counts once.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class SpendLedgerGrain(IRegistryStore store) : Grain, ISpendLedgerGrain
{
    public Task<int> Write(ImmutableArray<SpendRow> rows) =>
        rows.IsDefaultOrEmpty ? Task.FromResult(0) : store.WriteSpendAsync(rows);
}
