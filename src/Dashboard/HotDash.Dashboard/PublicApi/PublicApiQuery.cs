using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// Reads a public API query string with Langfuse's rules (its zod schemas): <c>page</c> an integer above 0 (default
/// 1), <c>limit</c> 1 to 100 (default 50), timestamps ISO 8601 with an offset, enums as Langfuse spells them, list
/// parameters repeatable. An empty value counts as absent. The first violation is kept in <see cref="Error"/>; the
/// caller answers 400 with it.
/// </summary>
internal sealed class PublicApiQuery(IQueryCollection query)
{
    /// <summary>Langfuse's largest page.</summary>
    public const int MaxLimit = 100;

    /// <summary>Langfuse's default page size.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The first invalid parameter's message, or <see langword="null"/>.</summary>
    public string? Error { get; private set; }

    public int Page()
    {
        var text = String("page");
        if (text is null)
        {
            return 1;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var page) || page < 1)
        {
            Fail($"page: expected an integer greater than 0, got '{text}'");
            return 1;
        }
        return page;
    }

    public int Limit()
    {
        var text = String("limit");
        if (text is null)
        {
            return DefaultLimit;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > MaxLimit)
        {
            Fail($"limit: expected an integer from 1 to {MaxLimit}, got '{text}'");
            return DefaultLimit;
        }
        return limit;
    }

    /// <summary>A single string parameter; a repeated one is refused, as Langfuse's <c>z.string()</c> refuses an array.</summary>
    public string? String(string name)
    {
        var values = query[name];
        if (values.Count == 0)
        {
            return null;
        }
        if (values.Count > 1)
        {
            Fail($"{name}: expected a single value, got {values.Count}");
            return null;
        }
        return string.IsNullOrEmpty(values[0]) ? null : values[0];
    }

    /// <summary>A repeatable parameter (<c>tags=a&amp;tags=b</c>); empty values are dropped.</summary>
    public ImmutableArray<string> Many(string name) => Values(query[name]);

    /// <summary>A comma-separated list parameter (<c>scoreIds=a,b</c>).</summary>
    public ImmutableArray<string> CommaSeparated(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return [];
        }
        return [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>One of <paramref name="allowed"/> (exact spelling).</summary>
    public string? Enum(string name, ReadOnlySpan<string> allowed)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }
        foreach (var value in allowed)
        {
            if (string.Equals(value, text, StringComparison.Ordinal))
            {
                return value;
            }
        }
        Fail($"{name}: expected one of {string.Join(", ", allowed.ToArray())}, got '{text}'");
        return null;
    }

    /// <summary>An ISO 8601 date-time with an offset (<c>2024-01-02T03:04:05.678Z</c>) as epoch ms.</summary>
    public long? Timestamp(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }
        if (!IsIsoDateTimeWithOffset(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            Fail($"{name}: expected an ISO 8601 date-time with an offset (e.g. 2024-01-02T03:04:05.678Z), got '{text}'");
            return null;
        }
        return value.ToUnixTimeMilliseconds();
    }

    public double? Number(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Fail($"{name}: expected a number, got '{text}'");
            return null;
        }
        return value;
    }

    /// <summary>Records an error found by the caller (the first one wins).</summary>
    public void Fail(string message) => Error ??= message;

    private static ImmutableArray<string> Values(StringValues values)
    {
        if (values.Count == 0)
        {
            return [];
        }
        var builder = ImmutableArray.CreateBuilder<string>(values.Count);
        foreach (var value in values)
        {
            if (!string.IsNullOrEmpty(value))
            {
                builder.Add(value);
            }
        }
        return builder.ToImmutable();
    }

    // zod's z.iso.datetime({ offset: true }): a date, 'T', a time, then 'Z' or +hh:mm / -hh:mm.
    private static bool IsIsoDateTimeWithOffset(string text)
    {
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T')
        {
            return false;
        }
        if (text[^1] is 'Z' or 'z')
        {
            return true;
        }
        var sign = text.Length - 6;
        return text[sign] is '+' or '-' && text[sign + 3] == ':';
    }
}
