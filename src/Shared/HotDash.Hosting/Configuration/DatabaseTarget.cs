namespace HotDash.Hosting.Configuration;

/// <summary>A PostgreSQL connection as Npgsql takes it, and what of it may be shown.</summary>
/// <param name="ConnectionString">The Npgsql connection string (<c>Host=...;Port=...;Database=...</c>); it may carry a password.</param>
/// <param name="Endpoint"><c>host:port/database</c> for logs and error messages: never the user or the password.</param>
/// <param name="IgnoredParameters">URL query parameters Npgsql has no use for (Prisma's <c>schema</c>, ...), for a startup warning.</param>
public sealed record DatabaseTarget(string ConnectionString, string Endpoint, IReadOnlyList<string> IgnoredParameters);
