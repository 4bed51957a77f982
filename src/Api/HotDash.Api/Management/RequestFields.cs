using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>
/// Typed, validated reads of a management request's JSON object. A value missing (or null) in the body is taken from
/// the fallback object when there is one (the config's <c>default_team_params</c> or
/// <c>upperbound_key_generate_params</c>). The first bad field is kept in <see cref="Error"/>, with a message naming
/// it; readers return <see langword="null"/> for it, so a caller reads every field and then checks once.
/// Unknown fields are ignored, as LiteLLM ignores them.
/// </summary>
internal sealed class RequestFields(JsonElement body, JsonElement? fallback = null)
{
    /// <summary>The first field that failed, or <see langword="null"/>.</summary>
    public ManagementError? Error { get; private set; }

    /// <summary>The request's own object.</summary>
    public JsonElement Body => body;

    /// <summary>Records a refusal naming <paramref name="param"/> unless an earlier field already failed.</summary>
    public void Fail(string? param, string message) => Error ??= ManagementError.Invalid(param, message);

    /// <summary>True when the body has the field (even as null) or the fallback has a value for it: the request sets it.</summary>
    public bool Given(string name) =>
        body.TryGetProperty(name, out _) || fallback is { } f && f.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>True when the body itself has the field, null or not.</summary>
    public bool InBody(string name) => body.TryGetProperty(name, out _);

    /// <summary>The field's value: the body's unless missing or null, else the fallback's.</summary>
    public bool TryGet(string name, out JsonElement value)
    {
        if (body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        if (fallback is { } f && f.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>A string field.</summary>
    public string? String(string name)
    {
        if (!TryGet(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            Fail(name, $"{name} must be a string, not {Describe(v)}.");
            return null;
        }
        return v.GetString();
    }

    /// <summary>An id or alias: a string; empty or blank means none.</summary>
    public string? Id(string name) => String(name) is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    /// <summary>A true/false field.</summary>
    public bool? Bool(string name)
    {
        if (!TryGet(name, out var v))
        {
            return null;
        }
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetBoolean();
        }
        Fail(name, $"{name} must be true or false, not {Describe(v)}.");
        return null;
    }

    /// <summary>A limit such as <c>rpm_limit</c>: a whole number, zero or more.</summary>
    public long? Count(string name) => TryGet(name, out var v) ? CountOf(v, name) : null;

    /// <summary>A whole number, zero or more, that fits an <see cref="int"/> (<c>max_parallel_requests</c>).</summary>
    public int? SmallCount(string name)
    {
        var n = Count(name);
        if (n > int.MaxValue)
        {
            Fail(name, $"{name} must be at most {int.MaxValue}, not {n}.");
            return null;
        }
        return (int?)n;
    }

    /// <summary>A budget in USD: a number, zero or more. An empty string means none (LiteLLM's rule for <c>max_budget</c>).</summary>
    public decimal? Money(string name)
    {
        if (!TryGet(name, out var v) || v.ValueKind == JsonValueKind.String && v.GetString() == "")
        {
            return null;
        }
        return MoneyOf(v, name);
    }

    /// <summary>A LiteLLM duration (<c>30s</c>, <c>30m</c>, <c>30h</c>, <c>30d</c>, <c>1w</c>, <c>1mo</c>): the text as written and its length.</summary>
    public (string Text, TimeSpan Length)? Duration(string name)
    {
        if (String(name) is not { } text)
        {
            return null;
        }
        if (!LiteLlmDuration.TryParse(text, out var length))
        {
            Fail(name, $"{name} must be a duration such as 30s, 30m, 30h or 30d, not \"{text}\".");
            return null;
        }
        return (text.Trim(), length);
    }

    /// <summary>A list of strings (<c>models</c>).</summary>
    public ImmutableArray<string>? StringList(string name)
    {
        if (!TryGet(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            Fail(name, $"{name} must be a list of strings, not {Describe(v)}.");
            return null;
        }
        var list = ImmutableArray.CreateBuilder<string>(v.GetArrayLength());
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                Fail(name, $"{name}[{i}] must be a string, not {Describe(item)}.");
                return null;
            }
            list.Add(item.GetString()!);
            i++;
        }
        return list.MoveToImmutable();
    }

    /// <summary>An object of string values (<c>aliases</c>).</summary>
    public ImmutableDictionary<string, string>? StringMap(string name)
    {
        if (!Object(name, out var v))
        {
            return null;
        }
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                Fail(name, $"{name}.{p.Name} must be a string, not {Describe(p.Value)}.");
                return null;
            }
            map[p.Name] = p.Value.GetString()!;
        }
        return map.ToImmutable();
    }

    /// <summary>Limits per model name (<c>model_rpm_limit</c>, <c>model_tpm_limit</c>): whole numbers, zero or more.</summary>
    public ImmutableDictionary<string, long>? CountMap(string name)
    {
        if (!Object(name, out var v))
        {
            return null;
        }
        var map = ImmutableDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (CountOf(p.Value, name, $"{name}.{p.Name}") is not { } n)
            {
                return null;
            }
            map[p.Name] = n;
        }
        return map.ToImmutable();
    }

    /// <summary>
    /// <c>model_max_budget</c>: per model name, LiteLLM's <c>BudgetConfig</c> (<c>{"budget_limit": 5, "time_period": "30d"}</c>,
    /// also spelled <c>max_budget</c> / <c>budget_duration</c>) or a bare number (a budget that never resets).
    /// </summary>
    public ImmutableDictionary<string, ModelBudget>? ModelBudgets(string name)
    {
        if (!Object(name, out var v))
        {
            return null;
        }
        var map = ImmutableDictionary.CreateBuilder<string, ModelBudget>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            var path = $"{name}.{p.Name}";
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    continue;
                case JsonValueKind.Number:
                    if (MoneyOf(p.Value, name, path) is not { } bare)
                    {
                        return null;
                    }
                    map[p.Name] = new ModelBudget(bare, null);
                    continue;
                case JsonValueKind.Object:
                    break;
                default:
                    Fail(name, $"{path} must be an object such as {{\"budget_limit\": 10, \"time_period\": \"30d\"}}, not {Describe(p.Value)}.");
                    return null;
            }
            var entry = p.Value;
            if (!(entry.TryGetProperty("budget_limit", out var limit) && limit.ValueKind != JsonValueKind.Null
                  || entry.TryGetProperty("max_budget", out limit) && limit.ValueKind != JsonValueKind.Null))
            {
                Fail(name, $"{path}.budget_limit is required.");
                return null;
            }
            if (MoneyOf(limit, name, $"{path}.budget_limit") is not { } budget)
            {
                return null;
            }
            TimeSpan? period = null;
            if (entry.TryGetProperty("time_period", out var tp) && tp.ValueKind != JsonValueKind.Null
                || entry.TryGetProperty("budget_duration", out tp) && tp.ValueKind != JsonValueKind.Null)
            {
                if (tp.ValueKind != JsonValueKind.String || !LiteLlmDuration.TryParse(tp.GetString(), out var length))
                {
                    Fail(name, $"{path}.time_period must be a duration such as 30s, 30m, 30h or 30d, not {(tp.ValueKind == JsonValueKind.String ? $"\"{tp.GetString()}\"" : Describe(tp))}.");
                    return null;
                }
                period = length;
            }
            map[p.Name] = new ModelBudget(budget, period);
        }
        return map.ToImmutable();
    }

    /// <summary>A JSON object (<c>metadata</c>), as its text.</summary>
    public string? ObjectText(string name) => Object(name, out var v) ? v.GetRawText() : null;

    /// <summary>A JSON object field; records a refusal for anything else.</summary>
    public bool Object(string name, out JsonElement value)
    {
        if (!TryGet(name, out value))
        {
            return false;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            Fail(name, $"{name} must be a JSON object, not {Describe(value)}.");
            return false;
        }
        return true;
    }

    /// <summary>A JSON array field; records a refusal for anything else.</summary>
    public bool Array(string name, out JsonElement value)
    {
        if (!TryGet(name, out value))
        {
            return false;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            Fail(name, $"{name} must be a list, not {Describe(value)}.");
            return false;
        }
        return true;
    }

    private long? CountOf(JsonElement v, string param, string? path = null)
    {
        var label = path ?? param;
        if (v.ValueKind != JsonValueKind.Number)
        {
            Fail(param, $"{label} must be a whole number, not {Describe(v)}.");
            return null;
        }
        if (v.TryGetInt64(out var n))
        {
            if (n < 0)
            {
                Fail(param, $"{label} must not be negative, got {n}.");
                return null;
            }
            return n;
        }
        // 10.0 is a whole number too (pydantic takes it for an int field).
        if (v.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d >= 0 && d <= long.MaxValue)
        {
            return (long)d;
        }
        Fail(param, d < 0 || v.GetRawText().StartsWith('-')
            ? $"{label} must not be negative, got {v.GetRawText()}."
            : $"{label} must be a whole number, not {v.GetRawText()}.");
        return null;
    }

    private decimal? MoneyOf(JsonElement v, string param, string? path = null)
    {
        var label = path ?? param;
        if (v.ValueKind != JsonValueKind.Number)
        {
            Fail(param, $"{label} must be a number, not {Describe(v)}.");
            return null;
        }
        if (!v.TryGetDecimal(out var d))
        {
            Fail(param, $"{label} is out of range: {v.GetRawText()}.");
            return null;
        }
        if (d < 0)
        {
            Fail(param, $"{label} cannot be negative. Received: {d.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }
        return d;
    }

    /// <summary>How a wrong value is named in a message.</summary>
    public static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(v.GetString()!)}\"",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        _ => v.ValueKind.ToString(),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
