namespace HotDash.Grains;

/// <summary>
/// A Langfuse project API key pair. The public key (<c>pk-lf-...</c>) is stored as it is (it names the key); the secret
/// key (<c>sk-lf-...</c>) only as its SHA-256 hash and a short visible form.
/// </summary>
/// <param name="PublicKey">The <c>pk-lf-...</c> key.</param>
/// <param name="SecretHash">SHA-256 of the <c>sk-lf-...</c> key, lower-case hex.</param>
/// <param name="DisplaySecretKey">The secret's visible form, <c>sk-lf-...abcd</c>.</param>
/// <param name="ProjectId">The project it opens.</param>
/// <param name="CreatedAt">When it was created.</param>
[GenerateSerializer, Immutable, Alias("hotdash.ProjectKeyDefinition")]
public sealed record ProjectKeyDefinition(
    [property: Id(0)] string PublicKey,
    [property: Id(1)] string SecretHash,
    [property: Id(2)] string DisplaySecretKey,
    [property: Id(3)] string ProjectId,
    [property: Id(4)] DateTimeOffset CreatedAt)
{
    /// <summary>A note about the key.</summary>
    [Id(5)] public string? Note { get; init; }
}
