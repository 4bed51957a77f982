namespace HotDash.Grains;

/// <summary>
/// The outcome of a registry write. Not OK: nothing was written, and <see cref="Message"/> names the field
/// (<see cref="Param"/>) that made it fail, as the management API's 400/404 says it.
/// </summary>
/// <param name="Status">200 written; 400 refused (unknown team or user, duplicate alias, ...); 404 the object does not exist.</param>
/// <param name="Message">Why it was refused; <see langword="null"/> when written.</param>
/// <param name="Param">The request field at fault (<c>team_id</c>, <c>key_alias</c>, ...); <see langword="null"/> when written.</param>
[GenerateSerializer, Immutable, Alias("hotdash.RegistryResult")]
public sealed record RegistryResult(
    [property: Id(0)] int Status,
    [property: Id(1)] string? Message,
    [property: Id(2)] string? Param)
{
    /// <summary>Written.</summary>
    public static RegistryResult Ok { get; } = new(200, null, null);

    /// <summary>True when written.</summary>
    public bool IsOk => Status == 200;

    /// <summary>Refused with 400 naming <paramref name="param"/>.</summary>
    public static RegistryResult Invalid(string param, string message) => new(400, message, param);

    /// <summary>The object named by <paramref name="param"/> does not exist (404).</summary>
    public static RegistryResult NotFound(string param, string message) => new(404, message, param);
}
