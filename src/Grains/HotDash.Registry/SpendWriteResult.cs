namespace HotDash.Registry;

/// <summary>What one <see cref="SpendLedgerWriter.WriteAsync"/> did.</summary>
/// <param name="Inserted">Rows new to the ledger: these, and only these, were added to the rollups and the spend columns.</param>
/// <param name="Duplicates">Rows whose request id the ledger (or the batch itself) already had: skipped.</param>
public sealed record SpendWriteResult(int Inserted, int Duplicates);
