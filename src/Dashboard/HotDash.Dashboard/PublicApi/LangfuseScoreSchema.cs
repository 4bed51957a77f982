namespace HotDash.Dashboard.PublicApi;

/// <summary>Which Langfuse score schema an endpoint answers with.</summary>
internal enum LangfuseScoreSchema
{
    /// <summary><c>/api/public/scores</c>: trace scores (<c>APIScoreSchemaV1</c>).</summary>
    V1,

    /// <summary><c>/api/public/v2/scores</c>: trace, observation and session scores, with <c>sessionId</c> and <c>datasetRunId</c>.</summary>
    V2,
}
