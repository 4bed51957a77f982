using HotDash.Api.Management;

namespace HotDash.Api.Tests.Management;

/// <summary>Request bodies for the parsing tests, kept alive for the test's length.</summary>
internal static class Json
{
    public static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement;

    /// <summary>A body's fields, with an optional fallback object (config defaults or bounds).</summary>
    public static RequestFields Fields(string json, string? fallback = null) =>
        new(Element(json), fallback is null ? null : Element(fallback));

    /// <summary>What <paramref name="write"/> writes, parsed.</summary>
    public static JsonElement Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }

    /// <summary>The property names of an object, in order.</summary>
    public static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];
}
