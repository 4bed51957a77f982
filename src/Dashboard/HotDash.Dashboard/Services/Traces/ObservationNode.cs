using HotDash.Grains;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>One observation in the trace's tree, with its children (by start time) and its depth (0 for a root).</summary>
public sealed record ObservationNode(ObservationRecord Observation, int Depth, IReadOnlyList<ObservationNode> Children);
