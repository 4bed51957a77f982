using System.Collections.Immutable;
using System.Globalization;

namespace HotDash.Analytics;

/// <summary>
/// A <c>WHERE</c> clause built from optional filters, AND-ed. Every value goes through <see cref="ClickHouseSql.Quote"/>
/// (18.16 has no query parameters); an unset filter adds nothing.
/// </summary>
public sealed class ClickHouseFilter
{
    private readonly List<string> _conditions = [];

    /// <summary>Starts with the project and live rows (the first sorting-key column, so the primary index applies).</summary>
    public ClickHouseFilter(string projectId)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        _conditions.Add($"project_id = {ClickHouseSql.Quote(projectId)}");
        _conditions.Add("is_deleted = 0");
    }

    /// <summary><c>column = value</c> when <paramref name="value"/> is set.</summary>
    public ClickHouseFilter Equal(string column, string? value)
    {
        if (value is not null)
        {
            _conditions.Add($"{column} = {ClickHouseSql.Quote(value)}");
        }
        return this;
    }

    /// <summary><c>from &lt;= column &lt; to</c>, each bound when set.</summary>
    public ClickHouseFilter Range(string column, long? from, long? to)
    {
        if (from is { } f)
        {
            _conditions.Add($"{column} >= {Number(f)}");
        }
        if (to is { } t)
        {
            _conditions.Add($"{column} < {Number(t)}");
        }
        return this;
    }

    /// <summary><c>column IN (...)</c> when <paramref name="values"/> is not empty (any of them).</summary>
    public ClickHouseFilter In(string column, ImmutableArray<string> values)
    {
        if (!values.IsDefaultOrEmpty)
        {
            _conditions.Add($"{column} IN {List(values)}");
        }
        return this;
    }

    /// <summary><c>hasAll(column, [...])</c> when <paramref name="values"/> is not empty (every one of them).</summary>
    public ClickHouseFilter HasAll(string column, ImmutableArray<string> values)
    {
        if (!values.IsDefaultOrEmpty)
        {
            _conditions.Add($"hasAll({column}, [{string.Join(", ", values.Select(ClickHouseSql.Quote))}])");
        }
        return this;
    }

    /// <summary>A condition built by the caller from quoted values only.</summary>
    public ClickHouseFilter Raw(string condition)
    {
        _conditions.Add(condition);
        return this;
    }

    /// <summary>The conditions joined by <c>AND</c>.</summary>
    public override string ToString() => string.Join(" AND ", _conditions);

    /// <summary><c>('a', 'b')</c>: a quoted list for <c>IN</c>.</summary>
    public static string List(IEnumerable<string> values) => $"({string.Join(", ", values.Select(ClickHouseSql.Quote))})";

    /// <summary>An integer literal.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
