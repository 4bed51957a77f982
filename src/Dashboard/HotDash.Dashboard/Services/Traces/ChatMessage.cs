namespace HotDash.Dashboard.Services.Traces;

/// <summary>One message of a chat conversation, as the trace detail renders it.</summary>
/// <param name="Role">system, user, assistant, tool, ...</param>
/// <param name="Content">The text (parts joined; non-text parts as their JSON).</param>
/// <param name="Name">The author name or, for a tool message, the tool call it answers.</param>
/// <param name="ToolCalls">The assistant's tool calls.</param>
public sealed record ChatMessage(string Role, string Content, string? Name, IReadOnlyList<ChatToolCall> ToolCalls);
