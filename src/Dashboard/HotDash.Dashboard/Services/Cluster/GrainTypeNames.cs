using System.Text;

namespace HotDash.Dashboard.Services.Cluster;

/// <summary>
/// Short names for the grain types the management grain reports (CLR type names, possibly generic or
/// assembly-qualified): <c>HotDash.Grains.Tracing.TraceRollupGrain,HotDash.Grains</c> becomes <c>TraceRollupGrain</c>.
/// </summary>
public static class GrainTypeNames
{
    /// <summary>The type's name without namespace, assembly or generic arity; generic arguments shortened the same way.</summary>
    public static string Shorten(string? fullName)
    {
        if (string.IsNullOrWhiteSpace(fullName))
        {
            return "(unnamed)";
        }
        var name = StripAssembly(fullName.Trim());
        var open = name.IndexOf('[', StringComparison.Ordinal);
        var head = open < 0 ? name : name[..open];
        var tick = head.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            head = head[..tick];
        }
        // Nested types are Outer+Inner: the namespace is what makes names long, the nesting is part of the name.
        var lastDot = head.LastIndexOf('.');
        var shortName = (lastDot >= 0 ? head[(lastDot + 1)..] : head).Replace('+', '.');
        if (shortName.Length == 0)
        {
            return name;
        }
        var arguments = open < 0 ? [] : GenericArguments(name[open..]);
        return arguments.Count == 0 ? shortName : $"{shortName}<{string.Join(", ", arguments.Select(Shorten))}>";
    }

    /// <summary>
    /// <see cref="Shorten"/> of each name, except that names which would collide (the same class name in two
    /// namespaces) keep their full name, so two rows never look like one.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ShortenAll(IEnumerable<string> fullNames)
    {
        var distinct = fullNames.Distinct(StringComparer.Ordinal).ToArray();
        var shortened = distinct.ToDictionary(n => n, Shorten, StringComparer.Ordinal);
        var collisions = shortened.GroupBy(p => p.Value, StringComparer.Ordinal).Where(g => g.Count() > 1).SelectMany(g => g.Select(p => p.Key)).ToHashSet(StringComparer.Ordinal);
        return distinct.ToDictionary(n => n, n => collisions.Contains(n) ? StripAssembly(n.Trim()) : shortened[n], StringComparer.Ordinal);
    }

    // "Ns.T,Asm, Version=..." -> "Ns.T"; commas inside generic brackets belong to the arguments.
    private static string StripAssembly(string name)
    {
        var depth = 0;
        for (var i = 0; i < name.Length; i++)
        {
            switch (name[i])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    return name[..i].TrimEnd();
            }
        }
        return name;
    }

    // "[[A, AsmA],[B, AsmB]]" or "[A,B]" -> ["A", "B"]: the top-level arguments, each without its own brackets.
    private static List<string> GenericArguments(string brackets)
    {
        var result = new List<string>();
        if (brackets.Length < 2 || brackets[0] != '[' || brackets[^1] != ']')
        {
            return result;
        }
        var inner = brackets[1..^1];
        var depth = 0;
        var current = new StringBuilder();
        foreach (var c in inner)
        {
            if (c == ',' && depth == 0)
            {
                Add(result, current);
                continue;
            }
            depth += c switch { '[' => 1, ']' => -1, _ => 0 };
            current.Append(c);
        }
        Add(result, current);
        return result;
    }

    private static void Add(List<string> arguments, StringBuilder current)
    {
        var text = current.ToString().Trim();
        current.Clear();
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            text = text[1..^1];
        }
        if (text.Length > 0)
        {
            arguments.Add(text);
        }
    }
}
