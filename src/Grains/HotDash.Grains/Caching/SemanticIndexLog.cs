using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Caching;

internal static partial class SemanticIndexLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "semantic index {Index}: writing {Pages} changed page(s) failed; they stay dirty and are written with the next batch")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string index, int pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "semantic index {Index}: the last write at deactivation failed ({Error}); the rows added since the previous write are lost")]
    public static partial void FinalWriteFailed(ILogger logger, string index, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "semantic index {Index}: loaded {Rows} row(s) of dimension {Dimension} from {Pages} page(s)")]
    public static partial void Loaded(ILogger logger, string index, int rows, int dimension, int pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "semantic index {Index}: stored pages have {Stored} rows per page, this build {Current}; the stored index is dropped and rebuilt as answers are cached")]
    public static partial void PageLayoutChanged(ILogger logger, string index, int stored, int current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "semantic index {Index}: embeddings changed from {Old} to {New} dimensions (a new embedding model?); the old rows are dropped")]
    public static partial void DimensionChanged(ILogger logger, string index, int old, int @new);
}
