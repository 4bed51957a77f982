using HotDash.Api.Gateway;

namespace HotDash.Api.Tracing;

/// <summary>
/// The request path's side of tracing: a <see cref="TraceCapture"/> per call when tracing is on (none when off, so
/// nothing is copied or queued), and, once the call's answer is complete, the capture filled with copies and handed to
/// the <see cref="TraceShipper"/> without waiting. Nothing here parses, serialises or calls the cluster.
/// </summary>
internal sealed class TraceRecorder(TraceShipper? shipper, TimeProvider time)
{
    private const string HeaderPrefix = "langfuse_";

    /// <summary>Tracing is on (<c>hotdash.tracing.enabled</c>).</summary>
    public bool Enabled => shipper is not null;

    /// <summary>The shipper, when tracing is on.</summary>
    public TraceShipper? Shipper => shipper;

    /// <summary>A new call's capture; null when tracing is off.</summary>
    public TraceCapture? Start(EndpointKind kind) => shipper is null ? null : new TraceCapture(time, kind);

    /// <summary>Queues the call's trace (after <see cref="GatewayPipeline"/> settled it, its answer complete).</summary>
    public void Record(GatewayCall call, UpstreamResult result)
    {
        if (call.Trace is not { } c || shipper is null)
        {
            return;
        }
        c.CallId = call.CallId;
        c.RequestBody = call.Body.Span.ToArray(); // the pooled body goes back when the request ends
        c.ModelGroup = call.ModelGroup;
        c.Deployment = call.Deployment; // null when every deployment was cooling down
        c.Price = call.Price;
        c.Admission = call.Admission;
        c.EndUser = call.Info.User;
        c.StartTime = call.StartTime;
        c.EndTime = time.GetUtcNow();
        c.Success = call.Succeeded;
        c.StatusCode = result.StatusCode;
        c.ErrorMessage = call.Succeeded ? null : result.ErrorMessage ?? $"The call failed with status {result.StatusCode}.";
        c.Usage = call.Usage;
        c.Cost = call.Cost;
        c.CacheHit = call.CacheHit;
        c.CacheSavedCost = call.CacheSavedCost;
        c.EstimatedPromptTokens = call.Estimate.PromptTokens;
        c.LangfuseHeaders = LangfuseHeaders(call.Context.Request.Headers);
        shipper.Enqueue(c);
    }

    // LiteLLM maps every langfuse_* request header to the metadata key after the prefix.
    private static List<KeyValuePair<string, string>>? LangfuseHeaders(IHeaderDictionary headers)
    {
        List<KeyValuePair<string, string>>? found = null;
        foreach (var (name, value) in headers)
        {
            if (name.Length > HeaderPrefix.Length && name.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                (found ??= []).Add(new(name[HeaderPrefix.Length..].ToLowerInvariant(), value.ToString()));
            }
        }
        return found;
    }
}
