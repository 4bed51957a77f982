namespace HotDash.Bench.Ingest;

/// <summary>Counts what has reached the analytics store.</summary>
internal interface IStoreCounter
{
    /// <summary>A short description for the output (which store, how it is read).</summary>
    string Describe { get; }

    /// <summary>The rows named <paramref name="names"/> stored right now.</summary>
    Task<StoreCount> CountAsync(RowNames names, CancellationToken cancellationToken);
}
