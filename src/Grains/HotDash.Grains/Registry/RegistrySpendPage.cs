namespace HotDash.Grains.Registry;

/// <summary>
/// One page of the embedded registry's spend ledger (storage <c>hotdash</c>, state name
/// <c>registry-spend-{slot}</c>): up to <see cref="RegistryStateGrain.SpendPageRows"/> rows, oldest first.
/// </summary>
/// <remarks>
/// The rows are one opaque field, encoded by the Orleans serializer, for the reason <see cref="RegistrySnapshot"/>
/// gives. A page may hold more rows than the registry committed (a batch whose snapshot was not stored): the snapshot's
/// <see cref="RegistryState.SpendPageFill"/> says how many of the current page count.
/// </remarks>
[GenerateSerializer, Alias("hotdash.RegistrySpendPage")]
public sealed class RegistrySpendPage
{
    /// <summary>The absolute page number (its slot is this modulo the ring's slot count): a slot holding another number is not that page.</summary>
    [Id(0)] public long Number { get; set; } = -1;

    /// <summary>The encoded <see cref="SpendRow"/> array.</summary>
    [Id(1)] public byte[] Data { get; set; } = [];
}
