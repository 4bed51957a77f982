namespace HotDash.Grains;

/// <summary>
/// The embedded registry (key: <see cref="IRegistryGrain.DefaultKey"/>): without a database, teams, users, keys and a
/// bounded window of the spend ledger live in this one grain's persistent state (memory, or Redis when Redis is
/// configured). Silo-internal: the silo's registry store calls it; clients call <see cref="IRegistryGrain"/>.
/// </summary>
public interface IRegistryStateGrain : IRegistryGrain
{
    /// <summary>Adds ledger rows not seen before to the spend of their key, team, user and membership; returns how many were new.</summary>
    Task<int> WriteSpend(ImmutableArray<SpendRow> rows);
}
