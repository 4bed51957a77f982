using System.Globalization;
using System.Reflection;

namespace HotDash.Registry;

/// <summary>The registry's migrations: the embedded <c>Migrations/NNNN_name.sql</c> files, in version order.</summary>
public static class RegistryMigrations
{
    private const string Prefix = "HotDash.Registry.Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> Embedded = new(Load);

    /// <summary>Every migration this build knows.</summary>
    public static IReadOnlyList<Migration> All => Embedded.Value;

    private static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(RegistryMigrations).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = resource[Prefix.Length..^".sql".Length];
            var underscore = file.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"migration file {file}.sql is not named NNNN_name.sql");
            }
            migrations.Add(new Migration(version, file[(underscore + 1)..], Read(assembly, resource)));
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
