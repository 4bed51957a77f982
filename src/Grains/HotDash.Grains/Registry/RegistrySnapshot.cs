namespace HotDash.Grains.Registry;

/// <summary>
/// What the embedded registry persists (storage <c>hotdash</c>, state name <c>registry</c>): its
/// <see cref="RegistryState"/>, encoded by the Orleans serializer. The spend ledger's rows are stored beside it in pages
/// (<see cref="RegistrySpendPage"/>), so this stays small and a spend batch does not write them all again.
/// </summary>
/// <remarks>
/// One opaque field, so that every grain storage serializer round-trips it: the definitions hold immutable
/// collections, which the default JSON storage serializer (Newtonsoft, with reference preservation) cannot read back.
/// The Orleans encoding is version tolerant by the definitions' <c>[Id]</c>s, as the wire is.
/// </remarks>
[GenerateSerializer, Alias("hotdash.RegistrySnapshot")]
public sealed class RegistrySnapshot
{
    /// <summary>The encoded <see cref="RegistryState"/>; empty before the first write.</summary>
    [Id(0)] public byte[] Data { get; set; } = [];
}
