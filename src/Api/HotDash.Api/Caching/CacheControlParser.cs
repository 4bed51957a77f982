using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Caching;

/// <summary>
/// Reads LiteLLM's per-request cache controls: the body's top-level <c>cache</c> object
/// (<c>{"no-cache": bool, "no-store": bool, "use-cache": bool, "ttl": seconds &gt; 0, "s-maxage": seconds &gt;= 0,
/// "namespace": string}</c>) and the same object under <c>cache</c> in the key's metadata. Each control the request
/// gives wins over the key's; unknown controls are ignored, as LiteLLM does; null means "not given".
/// </summary>
internal static class CacheControlParser
{
    /// <summary>The longest <c>ttl</c> or <c>s-maxage</c> accepted: ten years (beyond it the value is a mistake).</summary>
    public const double MaxSeconds = 10 * 365 * 86_400.0;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = RequestInspector.MaxDepth };

    private struct Partial
    {
        public bool? NoCache;
        public bool? NoStore;
        public bool? UseCache;
        public TimeSpan? Ttl;
        public TimeSpan? SMaxAge;
        public string? Namespace;
    }

    /// <summary>
    /// Reads the controls of <paramref name="body"/> (a JSON object RequestInspector accepted) and of the key's
    /// metadata <c>cache</c> object (<see cref="HotDash.Grains.KeyAdmissionDecision.CacheControls"/>; null for the master
    /// key or a key without one). False on a control of the wrong type or
    /// range: <paramref name="error"/> says which (<c>cache.ttl must be a positive number of seconds, got -5</c>) and
    /// <paramref name="errorParam"/> is <c>cache</c>, for a 400.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, string? keyCacheJson, out CacheControls controls, out string? error, out string? errorParam)
    {
        controls = default;
        errorParam = null;
        var request = default(Partial);
        if (MayHaveCache(body) && !ReadTopLevel(body, "cache", ref request, out error))
        {
            errorParam = "cache";
            return false;
        }

        var key = default(Partial);
        if (keyCacheJson is { Length: > 0 })
        {
            var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(keyCacheJson.Length));
            try
            {
                var length = Encoding.UTF8.GetBytes(keyCacheJson, bytes);
                var reader = new Utf8JsonReader(bytes.AsSpan(0, length), ReaderOptions);
                if (reader.Read() && !ReadControls(ref reader, "the key's metadata cache", ref key, out error))
                {
                    errorParam = "cache";
                    return false;
                }
            }
            catch (JsonException)
            {
                // Key metadata is written by the management API as a JSON object; anything else carries no controls.
                key = default;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }

        controls = new CacheControls(
            request.NoCache ?? key.NoCache ?? false,
            request.NoStore ?? key.NoStore ?? false,
            request.UseCache ?? key.UseCache,
            request.Ttl ?? key.Ttl,
            request.SMaxAge ?? key.SMaxAge,
            request.Namespace ?? key.Namespace);
        error = null;
        return true;
    }

    // A cheap vectorised look before walking the body: no "cache" (and no \u escape that could spell it) means no controls.
    private static bool MayHaveCache(ReadOnlySpan<byte> body) => body.IndexOf("\"cache\""u8) >= 0 || body.IndexOf("\\u"u8) >= 0;

    private static bool ReadTopLevel(ReadOnlySpan<byte> json, string what, ref Partial partial, out string? error)
    {
        error = null;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return true;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCache = reader.ValueTextEquals("cache"u8);
            reader.Read();
            if (!isCache)
            {
                reader.Skip();
                continue;
            }
            // The last "cache" wins, as with any repeated JSON key.
            partial = default;
            if (!ReadControls(ref reader, what, ref partial, out error))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ReadControls(ref Utf8JsonReader reader, string what, ref Partial partial, out string? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = $"{what} must be an object such as {{\"no-cache\": true}}, got {Describe(ref reader)}";
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var control = ControlOf(ref reader);
            reader.Read();
            switch (control)
            {
                case Control.NoCache:
                    if (!ReadBool(ref reader, what, "no-cache", ref partial.NoCache, out error))
                    {
                        return false;
                    }
                    break;
                case Control.NoStore:
                    if (!ReadBool(ref reader, what, "no-store", ref partial.NoStore, out error))
                    {
                        return false;
                    }
                    break;
                case Control.UseCache:
                    if (!ReadBool(ref reader, what, "use-cache", ref partial.UseCache, out error))
                    {
                        return false;
                    }
                    break;
                case Control.Ttl:
                    if (!ReadSeconds(ref reader, what, "ttl", allowZero: false, ref partial.Ttl, out error))
                    {
                        return false;
                    }
                    break;
                case Control.SMaxAge:
                    if (!ReadSeconds(ref reader, what, "s-maxage", allowZero: true, ref partial.SMaxAge, out error))
                    {
                        return false;
                    }
                    break;
                case Control.Namespace:
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        if (!TryGetText(ref reader, out var ns))
                        {
                            error = $"{what}.namespace must be valid text (it has a lone surrogate escape)";
                            return false;
                        }
                        partial.Namespace = ns;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        error = $"{what}.namespace must be a string, got {Describe(ref reader)}";
                        return false;
                    }
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return true;
    }

    private static bool ReadBool(ref Utf8JsonReader reader, string what, string name, ref bool? value, out string? error)
    {
        error = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                value = true;
                return true;
            case JsonTokenType.False:
                value = false;
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                error = $"{what}.{name} must be true or false, got {Describe(ref reader)}";
                return false;
        }
    }

    private static bool ReadSeconds(ref Utf8JsonReader reader, string what, string name, bool allowZero, ref TimeSpan? value, out string? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        var expected = allowZero ? "a number of seconds (0 or more)" : "a positive number of seconds";
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds) || !double.IsFinite(seconds))
        {
            error = $"{what}.{name} must be {expected}, got {Describe(ref reader)}";
            return false;
        }
        if (seconds < 0 || (seconds == 0 && !allowZero))
        {
            error = $"{what}.{name} must be {expected}, got {Describe(ref reader)}";
            return false;
        }
        if (seconds > MaxSeconds)
        {
            error = $"{what}.{name} must be at most {MaxSeconds.ToString(CultureInfo.InvariantCulture)} seconds (ten years), got {Describe(ref reader)}";
            return false;
        }
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => TryGetText(ref reader, out var text) ? Quote(text) : "a string",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => Trim(Encoding.UTF8.GetString(reader.ValueSpan)),
    };

    // GetString throws on a lone surrogate escape ("\ud800"), which the request's JSON reader lets through.
    private static bool TryGetText(ref Utf8JsonReader reader, out string text)
    {
        try
        {
            text = reader.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static string Quote(string s) => "\"" + Trim(s) + "\"";

    private static string Trim(string s) => s.Length > 40 ? s[..40] + "..." : s;

    private enum Control
    {
        Other,
        NoCache,
        NoStore,
        UseCache,
        Ttl,
        SMaxAge,
        Namespace,
    }

    private static Control ControlOf(ref Utf8JsonReader r) =>
        r.ValueTextEquals("no-cache"u8) ? Control.NoCache
        : r.ValueTextEquals("no-store"u8) ? Control.NoStore
        : r.ValueTextEquals("use-cache"u8) ? Control.UseCache
        : r.ValueTextEquals("ttl"u8) ? Control.Ttl
        : r.ValueTextEquals("s-maxage"u8) ? Control.SMaxAge
        : r.ValueTextEquals("namespace"u8) ? Control.Namespace
        : Control.Other;
}
