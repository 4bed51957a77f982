using HotDash.Grains;
using Npgsql;

namespace HotDash.Registry;

/// <summary>
/// Turns the constraint violations a registry write can meet into the refusal its checks would have given. The
/// store checks inside the transaction first; these only come from a concurrent write that got there in between
/// (and its retry names the value), or from a CHECK constraint (a negative limit the caller let through).
/// </summary>
internal static class RegistryConflicts
{
    public const string UniqueViolation = "23505";
    public const string ForeignKeyViolation = "23503";
    public const string CheckViolation = "23514";
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";

    /// <summary>True for what another transaction caused: trying the whole write again either succeeds or is refused by the checks.</summary>
    public static bool IsTransient(PostgresException e) =>
        e.SqlState is UniqueViolation or ForeignKeyViolation or SerializationFailure or DeadlockDetected;

    /// <summary>The refusal for a constraint violation; null for anything else (which then propagates).</summary>
    public static RegistryResult? Refusal(PostgresException e) => (e.SqlState, e.ConstraintName) switch
    {
        (UniqueViolation, "keys_pkey") => RegistryResult.Invalid("key", "this key already exists"),
        (UniqueViolation, "keys_key_alias_key") => RegistryResult.Invalid("key_alias", "key_alias is already used by another key"),
        (UniqueViolation, "teams_pkey") => RegistryResult.Invalid("team_id", "team_id already exists"),
        (UniqueViolation, "teams_team_alias_key") => RegistryResult.Invalid("team_alias", "team_alias is already used by another team"),
        (UniqueViolation, "users_pkey") => RegistryResult.Invalid("user_id", "user_id already exists"),
        (ForeignKeyViolation, "keys_team_id_fkey") => RegistryResult.Invalid("team_id", "team_id does not exist"),
        (ForeignKeyViolation, "keys_user_id_fkey") => RegistryResult.Invalid("user_id", "user_id does not exist"),
        (ForeignKeyViolation, "team_memberships_team_id_fkey") => RegistryResult.NotFound("team_id", "team_id does not exist"),
        (ForeignKeyViolation, "team_memberships_user_id_fkey") => RegistryResult.Invalid("user_id", "user_id does not exist"),
        (UniqueViolation, "projects_pkey") => RegistryResult.Invalid("project_id", "project_id already exists"),
        (UniqueViolation, "project_api_keys_pkey") => RegistryResult.Invalid("public_key", "public_key already exists"),
        (UniqueViolation, "project_api_keys_secret_hash_key") => RegistryResult.Invalid("secret_key", "this secret key is already used by another key"),
        (ForeignKeyViolation, "project_api_keys_project_id_fkey") => RegistryResult.Invalid("project_id", "project_id does not exist"),
        (CheckViolation, "projects_id_check") => RegistryResult.Invalid("project_id", "project_id must not be empty"),
        (CheckViolation, "projects_name_check") => RegistryResult.Invalid("name", "name must not be empty"),
        (CheckViolation, "project_api_keys_public_key_check") => RegistryResult.Invalid("public_key", "public_key must be a pk-lf-... key"),
        (CheckViolation, "project_api_keys_secret_hash_check") => RegistryResult.Invalid("secret_key", "the secret key's hash must be a lower-case SHA-256 hex digest"),
        (CheckViolation, "keys_token_check") => RegistryResult.Invalid("key", "the key's hash must be a lower-case SHA-256 hex digest"),
        (CheckViolation, "team_memberships_role_check") => RegistryResult.Invalid("role", "role must be 'admin' or 'user'"),
        (CheckViolation, { } name) when Column(e.TableName, name) is { } column => RegistryResult.Invalid(column, $"{column} must not be negative"),
        _ => null,
    };

    // "keys_rpm_limit_check" on table "keys": "rpm_limit" (PostgreSQL's default name for a column CHECK).
    private static string? Column(string? table, string constraint) =>
        table is { Length: > 0 } && constraint.StartsWith(table + "_", StringComparison.Ordinal) && constraint.EndsWith("_check", StringComparison.Ordinal)
            && constraint.Length > table.Length + 1 + "_check".Length
            ? constraint[(table.Length + 1)..^"_check".Length]
            : null;
}
