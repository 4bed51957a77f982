namespace HotDash.Dashboard.Services.Traces;

/// <summary>A tool call in a chat message: the function's name and its arguments (JSON text as the model wrote it).</summary>
public sealed record ChatToolCall(string? Id, string Name, string Arguments);
