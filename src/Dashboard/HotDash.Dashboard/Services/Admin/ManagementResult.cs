using System.Text.Json.Nodes;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>The gateway's answer to one management call: its JSON on success, its own error message on a refusal.</summary>
/// <param name="Ok">True for a 2xx answer.</param>
/// <param name="Status">The HTTP status; 0 when the gateway did not answer at all.</param>
/// <param name="Body">The parsed JSON body, when there was one.</param>
/// <param name="Error">The API's error message (or why the call failed), when not <paramref name="Ok"/>.</param>
public sealed record ManagementResult(bool Ok, int Status, JsonNode? Body, string? Error);
