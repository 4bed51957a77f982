namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// Langfuse's <c>fields</c> parameter of the trace endpoints (<c>core,io,scores,observations,metrics</c>): what is
/// left out is rendered as Langfuse renders it, so SDKs that expect the keys still find them (<c>null</c> input and
/// output, empty metadata, empty lists, <c>-1</c> metrics).
/// </summary>
[Flags]
internal enum TraceFieldGroups
{
    Core = 0,
    Io = 1,
    Scores = 2,
    Observations = 4,
    Metrics = 8,
    All = Io | Scores | Observations | Metrics,
}
