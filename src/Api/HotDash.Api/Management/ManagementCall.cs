using System.Globalization;
using System.Text.Json;
using HotDash.Api.Gateway;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>One authorized management request: its HTTP context, the audit actor, and readers for its body and query.</summary>
internal sealed class ManagementCall(HttpContext context, AuditActor actor)
{
    /// <summary>Management bodies are small objects; anything larger is refused before it is parsed.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    public HttpContext Context => context;

    public AuditActor Actor => actor;

    public CancellationToken Aborted => context.RequestAborted;

    /// <summary>The audit actor of a request: <c>litellm_changed_by</c> when sent, else the master key's user; and the presented key's hash.</summary>
    public static AuditActor ActorOf(HttpRequest request, bool open)
    {
        var changedBy = Header(request, "litellm-changed-by") ?? Header(request, "litellm_changed_by") ?? KeyFields.ProxyAdmin;
        return new AuditActor(changedBy, open ? "" : VirtualKeys.Hash(MasterKeyAuth.PresentedKey(request.Headers)));
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

    /// <summary>
    /// The body as a JSON object (an empty body is <c>{}</c>). Malformed JSON, a body that is not an object, or one
    /// over <see cref="MaxBodyBytes"/> gives an error instead.
    /// </summary>
    public async Task<(JsonDocument? Body, ManagementError? Error)> ReadBodyAsync()
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, new ManagementError(413, $"Request body too large: management requests take at most {MaxBodyBytes} bytes.", null, OpenAiError.InvalidRequest));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, Aborted)) > 0)
        {
            if (buffer.Length + n > MaxBodyBytes)
            {
                return (null, new ManagementError(413, $"Request body too large: management requests take at most {MaxBodyBytes} bytes.", null, OpenAiError.InvalidRequest));
            }
            buffer.Write(chunk, 0, n);
        }
        // A copy: the document keeps using the bytes it was parsed from.
        return Parse(buffer.ToArray());
    }

    /// <summary>Parses a body; empty or whitespace is <c>{}</c>.</summary>
    public static (JsonDocument? Body, ManagementError? Error) Parse(ReadOnlyMemory<byte> bytes)
    {
        if (IsBlank(bytes.Span))
        {
            return (JsonDocument.Parse("{}"), null);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, ParseOptions);
        }
        catch (JsonException e)
        {
            // System.Text.Json has no non-throwing parse; the request inspector does the same.
            return (null, ManagementError.Invalid(null, $"Malformed JSON body: {e.Message}"));
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = RequestFields.Describe(doc.RootElement);
            doc.Dispose();
            return (null, ManagementError.Invalid(null, $"The request body must be a JSON object, not {kind}."));
        }
        return (doc, null);
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A query parameter; empty counts as missing.</summary>
    public string? Query(string name)
    {
        var v = context.Request.Query[name];
        return v.Count == 0 || string.IsNullOrWhiteSpace(v[0]) ? null : v[0]!.Trim();
    }

    /// <summary>A whole-number query parameter in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int QueryInt(string name, int fallback, int min, int max, ref ManagementError? error)
    {
        if (Query(name) is not { } text)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            error ??= ManagementError.Invalid(name, $"{name} must be a whole number from {min} to {max}, not \"{text}\".");
            return fallback;
        }
        return n;
    }

    /// <summary>A true/false query parameter (<c>true</c>, <c>false</c>, <c>1</c>, <c>0</c>, as FastAPI reads them).</summary>
    public bool QueryBool(string name, ref ManagementError? error)
    {
        switch (Query(name)?.ToLowerInvariant())
        {
            case null or "false" or "0" or "no" or "off":
                return false;
            case "true" or "1" or "yes" or "on":
                return true;
            default:
                error ??= ManagementError.Invalid(name, $"{name} must be true or false, not \"{Query(name)}\".");
                return false;
        }
    }
}
