using System.Globalization;
using System.Reflection;

namespace HotDash.Analytics;

/// <summary>The analytics schema's migrations: the embedded <c>Migrations/NNNN_name.sql</c> files, in version order.</summary>
public static class ClickHouseMigrations
{
    private const string Prefix = "HotDash.Analytics.Migrations.";

    private static readonly Lazy<IReadOnlyList<ClickHouseMigration>> Embedded = new(Load);

    /// <summary>Every migration this build knows.</summary>
    public static IReadOnlyList<ClickHouseMigration> All => Embedded.Value;

    /// <summary>
    /// Splits a migration file into statements: a statement ends at a line ending in <c>;</c>, and whole-line
    /// <c>--</c> comments are dropped (the HTTP interface rejects more than one statement per request).
    /// </summary>
    public static IReadOnlyList<string> Split(string sql)
    {
        var statements = new List<string>();
        var current = new List<string>();
        foreach (var raw in sql.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            if (line.TrimStart().StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }
            if (line.EndsWith(';'))
            {
                current.Add(line[..^1]);
                Flush();
            }
            else
            {
                current.Add(line);
            }
        }
        Flush();
        return statements;

        void Flush()
        {
            var statement = string.Join('\n', current).Trim();
            if (statement.Length > 0)
            {
                statements.Add(statement);
            }
            current.Clear();
        }
    }

    private static IReadOnlyList<ClickHouseMigration> Load()
    {
        var assembly = typeof(ClickHouseMigrations).Assembly;
        var migrations = new List<ClickHouseMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = resource[Prefix.Length..^".sql".Length];
            var underscore = file.IndexOf('_');
            if (underscore <= 0 || !uint.TryParse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"migration file {file}.sql is not named NNNN_name.sql");
            }
            migrations.Add(new ClickHouseMigration(version, file[(underscore + 1)..], Split(Read(assembly, resource))));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"migration versions must run 1, 2, 3, ... without gaps; found {migrations[i].Version} at position {i + 1}");
            }
        }
        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
