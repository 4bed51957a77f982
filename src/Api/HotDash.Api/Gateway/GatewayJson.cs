using System.Text.Json.Serialization;

namespace HotDash.Api.Gateway;

/// <summary>Source-generated JSON for the few types the gateway serialises itself.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string))]
internal sealed partial class GatewayJson : JsonSerializerContext;
