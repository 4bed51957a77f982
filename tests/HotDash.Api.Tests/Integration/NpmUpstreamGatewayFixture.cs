namespace HotDash.Api.Tests.Integration;

/// <summary>
/// A gateway on a real port (Kestrel, 127.0.0.1) with a master key whose models are <c>openai/…</c> deployments
/// on the fake upstream, each with an upstream model name of its own so the fake's records tell them apart.
/// </summary>
public sealed class NpmUpstreamGatewayFixture : GatewayFixture
{
    public const string Key = "sk-hotdash-npm-master";

    public const string ChatModel = "npm-chat";
    public const string CompletionModel = "npm-completion";
    public const string EmbeddingModel = "npm-embedding";
    public const string RateLimitedModel = "npm-rate-limited";

    public const string UpstreamChatModel = "gpt-npm-chat";
    public const string UpstreamCompletionModel = "gpt-npm-instruct";
    public const string UpstreamEmbeddingModel = "text-embedding-npm";
    public const string UpstreamRateLimitedModel = "error-429-npm";

    /// <summary>Every model the gateway lists, in config order.</summary>
    public static readonly string[] ModelIds = [ChatModel, CompletionModel, EmbeddingModel, RateLimitedModel];

    protected override string? MasterKey => Key;

    protected override bool NeedsFakeUpstream => true;

    protected override bool RealPort => true;

    protected override string ConfigYaml(string? apiBase) =>
        "model_list:\n"
        + UpstreamGatewayFixture.Deployment(ChatModel, UpstreamChatModel, apiBase!)
        + UpstreamGatewayFixture.Deployment(CompletionModel, UpstreamCompletionModel, apiBase!)
        + UpstreamGatewayFixture.Deployment(EmbeddingModel, UpstreamEmbeddingModel, apiBase!)
        + UpstreamGatewayFixture.Deployment(RateLimitedModel, UpstreamRateLimitedModel, apiBase!)
        + $"""
        general_settings:
          master_key: {Key}
        """;
}
