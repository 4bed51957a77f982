using System.Text.Json.Serialization;
using HotDash.Grains;

namespace HotDash.Analytics.Archive;

/// <summary>
/// Source-generated System.Text.Json metadata for the archived events: camelCase, nulls left out, compact (one line per
/// event), read-only properties (<see cref="TraceEvent.ProjectId"/>, <see cref="TraceEvent.EntityId"/>) not written.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true,
    WriteIndented = false)]
[JsonSerializable(typeof(TraceEvent))]
[JsonSerializable(typeof(TraceRecord))]
[JsonSerializable(typeof(ObservationRecord))]
[JsonSerializable(typeof(ScoreRecord))]
public sealed partial class TraceEventJsonContext : JsonSerializerContext;
