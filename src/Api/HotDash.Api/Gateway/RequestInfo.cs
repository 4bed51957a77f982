namespace HotDash.Api.Gateway;

/// <summary>
/// What routing needs from a request body, read in one pass without building a DOM; the body itself
/// is forwarded as it came (only the model name and LiteLLM-only fields are spliced).
/// </summary>
internal sealed class RequestInfo
{
    public string? Model { get; set; }
    public int ModelTokenStart { get; set; } = -1;
    public int ModelTokenEnd { get; set; }
    public bool Stream { get; set; }
    public bool IncludeUsage { get; set; }
    public int? MaxTokens { get; set; }
    public string? MockResponse { get; set; }

    /// <summary>The OpenAI <c>user</c> field: the client's own end user (the spend ledger's <c>end_user</c>).</summary>
    public string? User { get; set; }
    public bool HasMessages { get; set; }
    public bool HasPrompt { get; set; }
    public bool HasInput { get; set; }

    /// <summary>Byte ranges (name to end of value) of top-level properties only the gateway reads (e.g. <c>mock_response</c>, <c>metadata</c>), in body order.</summary>
    public List<Range> GatewayOnlyProperties { get; } = [];

    public string? ErrorMessage { get; set; }
    public string? ErrorParam { get; set; }

    public bool IsValid => ErrorMessage is null;
}
