using System.Text.Json.Serialization;

namespace HotDash.Silo.Health;

/// <summary>Source-generated, snake_case JSON for the health endpoints; nulls are written (<c>"redis": null</c>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class SiloJsonContext : JsonSerializerContext;
