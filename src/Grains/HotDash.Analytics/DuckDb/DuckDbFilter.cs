using DuckDB.NET.Data;

namespace HotDash.Analytics.DuckDb;

/// <summary>
/// A WHERE clause built from optional filters: every value becomes a positional <c>$n</c> parameter, never SQL text.
/// Null (or empty) filters add nothing, so one builder serves every combination of Langfuse's optional filters.
/// </summary>
internal sealed class DuckDbFilter
{
    private readonly List<string> conditions = [];

    private readonly List<object> values = [];

    /// <summary>Adds a parameter and returns its placeholder (<c>$1</c>, <c>$2</c>, ...).</summary>
    public string Param(object value)
    {
        values.Add(value);
        return "$" + values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Adds a condition with no value (a fixed SQL fragment).</summary>
    public DuckDbFilter Where(string condition)
    {
        conditions.Add(condition);
        return this;
    }

    /// <summary>Adds <c>column = value</c> when <paramref name="value"/> is set.</summary>
    public DuckDbFilter Equal(string column, string? value)
    {
        if (value is not null)
        {
            conditions.Add($"{column} = {Param(value)}");
        }
        return this;
    }

    /// <summary>Adds <c>from &lt;= column &lt; to</c> for the bounds that are set.</summary>
    public DuckDbFilter Range(string column, long? fromInclusive, long? toExclusive)
    {
        if (fromInclusive is { } from)
        {
            conditions.Add($"{column} >= {Param(from)}");
        }
        if (toExclusive is { } to)
        {
            conditions.Add($"{column} < {Param(to)}");
        }
        return this;
    }

    /// <summary>Adds "column is any of <paramref name="any"/>" unless the list is empty (empty means no filter).</summary>
    public DuckDbFilter AnyOf(string column, IReadOnlyCollection<string> any)
    {
        if (any.Count > 0)
        {
            conditions.Add($"list_contains({Param(any.ToList())}, {column})");
        }
        return this;
    }

    /// <summary>Adds "the list column holds every one of <paramref name="all"/>" unless the list is empty.</summary>
    public DuckDbFilter HasAll(string listColumn, IReadOnlyCollection<string> all)
    {
        if (all.Count > 0)
        {
            conditions.Add($"list_has_all({listColumn}, {Param(all.ToList())})");
        }
        return this;
    }

    /// <summary>The conditions joined with AND (<c>true</c> when there are none).</summary>
    public string Sql => conditions.Count == 0 ? "true" : string.Join(" AND ", conditions);

    /// <summary>A command on <paramref name="connection"/> with this filter's parameters.</summary>
    public DuckDBCommand Command(DuckDBConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var value in values)
        {
            command.Parameters.Add(new DuckDBParameter(value));
        }
        return command;
    }
}
