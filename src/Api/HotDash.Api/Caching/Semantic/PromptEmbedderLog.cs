namespace HotDash.Api.Caching.Semantic;

internal static partial class PromptEmbedderLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "semantic cache: the embedding model group {Group} is not in model_list; the semantic cache is skipped")]
    public static partial void UnknownGroup(ILogger logger, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "semantic cache: embedding the prompt with {Deployment} ({Group}) failed: {Error}; the request skips the semantic cache")]
    public static partial void EmbedFailed(ILogger logger, string deployment, string group, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "semantic cache: no deployment of {Group} can embed (provider {Provider}: no adapter, or no api_base)")]
    public static partial void CannotEmbed(ILogger logger, string group, string provider);
}
