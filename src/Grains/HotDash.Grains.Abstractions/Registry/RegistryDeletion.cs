namespace HotDash.Grains;

/// <summary>What a delete removed: the objects asked for that existed, and the keys that went with them.</summary>
/// <param name="Deleted">The ids (or key hashes) deleted; ids that did not exist are left out.</param>
/// <param name="DeletedKeyTokens">The hashes of every key deleted along with them (a deleted team's or user's keys), so their key grains can forget them.</param>
[GenerateSerializer, Immutable, Alias("hotdash.RegistryDeletion")]
public sealed record RegistryDeletion(
    [property: Id(0)] ImmutableArray<string> Deleted,
    [property: Id(1)] ImmutableArray<string> DeletedKeyTokens);
