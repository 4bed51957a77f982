using System.Text;
using System.Text.Json;

namespace HotDash.Api.Tests.Support;

/// <summary>One request as the fake upstream received it.</summary>
internal sealed record RecordedRequest(string Path, string Model, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
