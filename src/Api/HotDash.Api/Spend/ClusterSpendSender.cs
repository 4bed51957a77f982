using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Api.Spend;

/// <summary>Sends spend batches to the cluster's ledger (<see cref="ISpendLedgerGrain"/>), answered once they are durable.</summary>
internal sealed class ClusterSpendSender(IClusterClient cluster) : ISpendSender
{
    public Task<int> SendAsync(ImmutableArray<SpendRow> rows, CancellationToken cancellationToken) =>
        cluster.GetGrain<ISpendLedgerGrain>(ISpendLedgerGrain.DefaultKey).Write(rows).WaitAsync(cancellationToken);
}
