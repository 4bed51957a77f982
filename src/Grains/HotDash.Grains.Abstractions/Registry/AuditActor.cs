namespace HotDash.Grains;

/// <summary>Who made an admin change, for the audit log (<c>changed_by</c>, <c>changed_by_api_key</c>).</summary>
/// <param name="ChangedBy">The admin's user id (LiteLLM: <c>litellm_changed_by</c> header, else the caller's user id, else <c>default_user_id</c>).</param>
/// <param name="ChangedByApiKey">SHA-256 of the key the change was made with (the master key's hash).</param>
[GenerateSerializer, Immutable, Alias("hotdash.AuditActor")]
public sealed record AuditActor(
    [property: Id(0)] string ChangedBy,
    [property: Id(1)] string ChangedByApiKey);
