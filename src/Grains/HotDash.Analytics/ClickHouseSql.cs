using System.Text;

namespace HotDash.Analytics;

/// <summary>
/// Literal and identifier quoting for SQL sent to ClickHouse. ClickHouse 18.16 has no query parameters
/// (<c>{p:Type}</c>), so every value that reaches SQL text must pass through <see cref="Quote"/>.
/// </summary>
public static class ClickHouseSql
{
    /// <summary>A single-quoted string literal: backslash and single quote escaped with a backslash, the two characters
    /// ClickHouse's lexer treats specially inside quotes, so any input reads back as the same data.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (c is '\\' or '\'')
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.Append('\'').ToString();
    }

    /// <summary>A back-quoted identifier (database or table name). Only <c>[A-Za-z0-9_]</c> are accepted: names come
    /// from configuration, and refusing anything else is simpler and safer than escaping identifiers.</summary>
    public static string Identifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"ClickHouse name '{name}' may only contain letters, digits and '_'", nameof(name));
            }
        }
        return $"`{name}`";
    }
}
