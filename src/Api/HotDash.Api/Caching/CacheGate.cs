using System.Globalization;
using HotDash.Api.Gateway;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Orleans;
using HotDash.Hosting.Pricing;

namespace HotDash.Api.Caching;

/// <summary>
/// The request path's side of the response cache (<c>litellm_settings.cache</c>): decides whether a call is cacheable
/// and under which key (<see cref="TryPlan"/>, before any upstream call), then serves it (<see cref="ServeAsync"/>): a
/// stored answer is replayed (exact bytes, or converted between stream and plain); an identical call in flight is
/// followed (its answer shared, a stream chunk by chunk); a semantic match is replayed (<c>redis-semantic</c>); else the
/// call goes upstream as usual while its answer is captured, and <see cref="Finish"/> hands it to the cache grain off the
/// request path. The cache never fails a request: when the cluster cannot be asked, the call goes upstream uncached.
/// </summary>
internal sealed class CacheGate(
    HotDashConfig config,
    IClusterClient cluster,
    ClusterConnection connection,
    Semantic.PromptEmbedder embedder,
    GatewayCacheMemory memory,
    TimeProvider time,
    ILogger<CacheGate> logger)
{
    /// <summary>How long one follower's poll of the leader waits (the grain answers sooner when chunks come).</summary>
    public static readonly TimeSpan FollowWait = TimeSpan.FromSeconds(5);

    private const string Hit = "HIT", Miss = "MISS", SemanticHit = "SEMANTIC-HIT";

    private readonly CacheSettings settings = config.Cache;

    /// <summary>Caching is on (<c>litellm_settings.cache: true</c>).</summary>
    public bool Enabled => settings.Enabled;

    /// <summary>
    /// The call's cache decision: <paramref name="plan"/> null when it is not cached (caching off for its call type, a
    /// <c>mock_response</c>, <c>mode: default_off</c> without <c>use-cache: true</c>, or <c>use-cache: false</c>).
    /// False when its cache controls (the body's <c>cache</c>, or the key's metadata <c>cache</c>) are malformed:
    /// <paramref name="error"/> and <paramref name="errorParam"/> then say why, for a 400 sent before any upstream call.
    /// </summary>
    public bool TryPlan(ReadOnlySpan<byte> body, RequestInfo info, EndpointKind kind, string modelGroup, KeyAdmissionDecision? admission,
        out CachePlan? plan, out string? error, out string? errorParam)
    {
        plan = null;
        error = errorParam = null;
        if (!settings.Supports(GatewayPipeline.CallTypeOf(kind)) || info.MockResponse is not null)
        {
            return true;
        }
        if (!CacheControlParser.TryParse(body, admission?.CacheControls, out var controls, out error, out errorParam))
        {
            return false;
        }
        if (controls.UseCache == false || settings.DefaultOff && controls.UseCache != true)
        {
            return true;
        }
        // A request's namespace replaces the config's; an empty one means none.
        var ns = controls.Namespace is null ? settings.Namespace : controls.Namespace.Length == 0 ? null : controls.Namespace;
        var ttl = controls.Ttl ?? settings.Ttl;
        plan = new CachePlan
        {
            Key = CacheKeys.For(body, modelGroup, ns),
            Controls = controls,
            Namespace = ns,
            TtlMs = ttl is { } t ? (long)t.TotalMilliseconds : null,
        };
        return true;
    }

    /// <summary>
    /// Serves a cacheable call: a hit, a followed call in flight, a semantic hit, or <paramref name="forward"/> (the
    /// upstream call) with its answer captured in <see cref="GatewayCall.Cache"/>. <see cref="Finish"/> must follow once
    /// the call has been settled, whatever happened.
    /// </summary>
    public async ValueTask<UpstreamResult> ServeAsync(
        CachePlan plan, GatewayCall call, ModelDeployment[] group, Func<GatewayCall, ModelDeployment[], ValueTask<UpstreamResult>> forward)
    {
        var headers = call.Context.Response.Headers;
        headers[GatewayHeaders.CacheKey] = plan.Key;
        if (plan.Read && memory.TryGet(plan.Key, plan.MaxAgeMs, out var held) && Replayable(held))
        {
            return await ReplayAsync(call, group, held, Hit); // a hot prompt: no cluster call at all
        }
        if (connection.ConnectedGateways == 0)
        {
            // A grain call now would only wait for a connection that is not there.
            CacheGateLog.Unavailable(logger, "lookup", plan.Key, "not connected to any silo gateway");
            headers[GatewayHeaders.Cache] = Miss;
            return await forward(call, group);
        }
        var grain = cluster.GetGrain<ICacheGrain>(plan.Key);
        if (!plan.Read)
        {
            plan.Role = CacheRole.Store; // no-cache: never a hit, never coalesced; the answer is still stored
            return await UpstreamAsync(plan, call, group, grain, forward);
        }

        CacheLookup lookup;
        try
        {
            lookup = await grain.Lookup(new CacheLookupRequest(call.CallId, settings.Coalesce, plan.MaxAgeMs, NowMs()));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CacheGateLog.Unavailable(logger, "lookup", plan.Key, e.Message);
            headers[GatewayHeaders.Cache] = Miss;
            return await forward(call, group);
        }
        switch (lookup.Status)
        {
            case CacheLookupStatus.Hit when lookup.Entry is { } entry && Replayable(entry):
                memory.Put(entry);
                return await ReplayAsync(call, group, entry, Hit);
            case CacheLookupStatus.Follow:
                return await FollowAsync(plan, call, group, grain, forward);
            case CacheLookupStatus.Lead:
                plan.Role = CacheRole.Lead;
                plan.LeaseId = lookup.LeaseId ?? call.CallId;
                break;
            default:
                plan.Role = CacheRole.Store;
                break;
        }
        if (settings.Semantic && await SemanticAsync(plan, call, group) is { } semantic)
        {
            return semantic;
        }
        return await UpstreamAsync(plan, call, group, grain, forward);
    }

    /// <summary>
    /// After the call was settled (<see cref="GatewayCall.Succeeded"/>, usage and cost known): builds the entry from the
    /// captured answer (none for a failure, a client gone, an oversized answer) and, without waiting, completes the
    /// leader's lease (followers get the entry, or are told to ask upstream) or stores a plain miss's answer, then
    /// indexes a stored answer's prompt for the semantic cache. Returns the capture's buffers in every case.
    /// </summary>
    public void Finish(CachePlan plan, GatewayCall call)
    {
        var feed = call.Cache;
        call.Cache = null;
        CacheEntry? entry = null;
        if (feed is not null)
        {
            // Errors are never cached: only an answer that went out whole.
            var keep = call.Succeeded && !call.CacheHit;
            var deploymentId = call.Deployment?.Id;
            entry = feed.Finish(keep
                ? capture => capture.Build(plan.Key, call.ModelGroup, GatewayPipeline.CallTypeOf(call.Kind), NowMs(), plan.TtlMs,
                    call.Usage.PromptTokens, call.Usage.CompletionTokens, call.Cost, deploymentId)
                : null);
        }
        var role = plan.Role;
        plan.Role = CacheRole.None;
        switch (role)
        {
            case CacheRole.Lead when plan.SharedEntry is { } shared:
                // Answered from the semantic cache: followers get that answer; it is not stored under this prompt.
                _ = CompleteAsync(plan, shared, feed?.Pumped, new CacheStorePolicy(false, plan.TtlMs));
                break;
            case CacheRole.Lead:
                _ = CompleteAsync(plan, entry, feed?.Pumped, plan.Policy);
                break;
            case CacheRole.Store when entry is not null && plan.Store:
                _ = StoreAsync(plan, entry);
                break;
        }
    }

    private ValueTask<UpstreamResult> UpstreamAsync(
        CachePlan plan, GatewayCall call, ModelDeployment[] group, ICacheGrain grain, Func<GatewayCall, ModelDeployment[], ValueTask<UpstreamResult>> forward)
    {
        call.Context.Response.Headers[GatewayHeaders.Cache] = Miss;
        var feed = new CacheFeed(settings.MaxEntryBytes);
        call.Cache = feed;
        if (plan.Role == CacheRole.Lead && call.Info.Stream)
        {
            var key = plan.Key;
            feed.StartPump(grain, plan.LeaseId!, e => CacheGateLog.NotSent(logger, "append", key, e.Message));
        }
        return forward(call, group);
    }

    /// <summary>Replays a stored answer as the request wants it; the call becomes a hit (no tokens, no cost).</summary>
    private async ValueTask<UpstreamResult> ReplayAsync(GatewayCall call, ModelDeployment[] group, CacheEntry entry, string status,
        bool coalesced = false, double? similarity = null)
    {
        MarkHit(call, group, entry);
        var headers = call.Context.Response.Headers;
        headers[GatewayHeaders.Cache] = status;
        if (coalesced)
        {
            headers[GatewayHeaders.Coalesced] = "true";
        }
        if (similarity is { } s)
        {
            headers[GatewayHeaders.SemanticSimilarity] = s.ToString("0.####", CultureInfo.InvariantCulture);
        }
        var response = call.Context.Response;
        var chat = call.Kind == EndpointKind.ChatCompletions;
        if (call.Info.Stream && call.Kind != EndpointKind.Embeddings)
        {
            IReadOnlyList<byte[]> chunks = entry.Streamed ? entry.Chunks : CacheReplay.Synthesize(entry.Body, chat);
            call.SetSuccessHeaders("text/event-stream");
            response.StatusCode = 200;
            await CacheReplay.WriteStreamAsync(response, chunks, call.Info.IncludeUsage, call.Aborted);
            if (call.Aborted.IsCancellationRequested)
            {
                return UpstreamResult.Gone;
            }
            TraceChunks(call, chunks, 0);
            return UpstreamResult.Written(200, default);
        }
        var body = entry.Body ?? CacheReplay.Assemble(entry.Chunks, chat);
        call.SetSuccessHeaders("application/json", default(TokenUsage));
        response.StatusCode = 200;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, call.Aborted);
        call.Trace?.SetResponse(body);
        return UpstreamResult.Written(200, default);
    }

    /// <summary>
    /// Waits on the leader of an identical call: a streaming follower writes the leader's chunks as they come; the
    /// completed answer is replayed; a failed leader makes the follower ask upstream itself (a plain miss), or, when
    /// part of the shared stream already went out, ends the stream with an error event.
    /// </summary>
    private async ValueTask<UpstreamResult> FollowAsync(
        CachePlan plan, GatewayCall call, ModelDeployment[] group, ICacheGrain grain, Func<GatewayCall, ModelDeployment[], ValueTask<UpstreamResult>> forward,
        bool rejoined = false)
    {
        var stream = call.Info.Stream && call.Kind != EndpointKind.Embeddings;
        var includeUsage = call.Info.IncludeUsage;
        var response = call.Context.Response;
        var next = 0;
        var started = false;
        while (true)
        {
            CacheFollowResult r;
            try
            {
                r = await grain.Follow(next, FollowWait).WaitAsync(call.Aborted);
            }
            catch (OperationCanceledException) when (call.Aborted.IsCancellationRequested)
            {
                return UpstreamResult.Gone;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                CacheGateLog.Unavailable(logger, "follow", plan.Key, e.Message);
                r = new CacheFollowResult(CacheFollowState.Failed, [], next, false);
            }

            if (r.State == CacheFollowState.Completed && r.Entry is { } entry && Replayable(entry))
            {
                if (!started)
                {
                    return await ReplayAsync(call, group, entry, Hit, coalesced: true);
                }
                MarkHit(call, group, entry);
                IReadOnlyList<byte[]> rest = entry.Streamed && entry.Chunks.Length > next ? entry.Chunks[next..] : [];
                await CacheReplay.WriteStreamAsync(response, rest, includeUsage, call.Aborted);
                if (call.Aborted.IsCancellationRequested)
                {
                    return UpstreamResult.Gone;
                }
                TraceChunks(call, rest, 0);
                return UpstreamResult.Written(200, default);
            }
            if (r.State != CacheFollowState.Pending)
            {
                if (!started)
                {
                    // Errors are never shared. The followers of a failed leader ask again once, so one of them leads
                    // and the rest follow it, instead of all going upstream together.
                    return rejoined ? await MissAfterFailureAsync(plan, call, group, grain, forward) : await RejoinAsync(plan, call, group, grain, forward);
                }
                return await BrokenStreamAsync(call);
            }

            if (stream && r.Streaming && !r.Chunks.IsDefaultOrEmpty)
            {
                if (!started)
                {
                    // The leader's deployment is known only once it completes: the group's first stands in for the headers.
                    call.CacheHit = true;
                    call.Deployment = group[0];
                    call.Price = PriceTable.Free;
                    response.Headers[GatewayHeaders.Cache] = Hit;
                    response.Headers[GatewayHeaders.Coalesced] = "true";
                    call.SetSuccessHeaders("text/event-stream");
                    SseWriter.PrepareResponse(call.Context);
                    response.StatusCode = 200;
                    await response.StartAsync(call.Aborted);
                    started = true;
                }
                var writer = response.BodyWriter;
                foreach (var chunk in r.Chunks)
                {
                    if (!includeUsage && CacheReplay.IsUsageOnly(chunk))
                    {
                        continue;
                    }
                    SseWriter.WriteEvent(writer, chunk);
                    call.Trace?.AddChunk(chunk);
                }
                var flush = await writer.FlushAsync(call.Aborted);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    return UpstreamResult.Gone;
                }
            }
            next = Math.Max(next, r.NextChunk);
        }
    }

    // After the leader failed: a stored answer (someone else's), a new leader to follow, or this call leads.
    private async ValueTask<UpstreamResult> RejoinAsync(
        CachePlan plan, GatewayCall call, ModelDeployment[] group, ICacheGrain grain, Func<GatewayCall, ModelDeployment[], ValueTask<UpstreamResult>> forward)
    {
        CacheLookup again;
        try
        {
            again = await grain.Lookup(new CacheLookupRequest(call.CallId, true, plan.MaxAgeMs, NowMs()));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CacheGateLog.Unavailable(logger, "lookup", plan.Key, e.Message);
            return await MissAfterFailureAsync(plan, call, group, grain, forward);
        }
        switch (again.Status)
        {
            case CacheLookupStatus.Hit when again.Entry is { } entry && Replayable(entry):
                memory.Put(entry);
                return await ReplayAsync(call, group, entry, Hit);
            case CacheLookupStatus.Follow:
                return await FollowAsync(plan, call, group, grain, forward, rejoined: true);
            case CacheLookupStatus.Lead:
                plan.Role = CacheRole.Lead;
                plan.LeaseId = again.LeaseId ?? call.CallId;
                return await UpstreamAsync(plan, call, group, grain, forward);
            default:
                return await MissAfterFailureAsync(plan, call, group, grain, forward);
        }
    }

    // Ask upstream as a plain miss, storing the answer after.
    private ValueTask<UpstreamResult> MissAfterFailureAsync(
        CachePlan plan, GatewayCall call, ModelDeployment[] group, ICacheGrain grain, Func<GatewayCall, ModelDeployment[], ValueTask<UpstreamResult>> forward)
    {
        plan.Role = CacheRole.Store;
        return UpstreamAsync(plan, call, group, grain, forward);
    }

    private static async ValueTask<UpstreamResult> BrokenStreamAsync(GatewayCall call)
    {
        const string Message = "The identical call this stream was shared from failed midway; retry the request.";
        call.CacheHit = false;
        SseWriter.WriteError(call.Context.Response.BodyWriter, Message, OpenAiError.Upstream, 502);
        try
        {
            await call.Context.Response.BodyWriter.FlushAsync(call.Aborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client may be gone too; there is nobody left to tell.
        }
        return new UpstreamResult(true, 502, false, Message, OpenAiError.Upstream, default);
    }

    /// <summary>
    /// The semantic cache (<c>redis-semantic</c>), after an exact miss: embeds a single-turn prompt, searches the
    /// index of the caller's scope and model group, and replays the best match above <c>similarity_threshold</c>.
    /// A match whose entry is gone is removed from the index. Null: no semantic hit, go upstream.
    /// </summary>
    private async ValueTask<UpstreamResult?> SemanticAsync(CachePlan plan, GatewayCall call, ModelDeployment[] group)
    {
        if (call.Kind == EndpointKind.Embeddings || settings.SimilarityThreshold is not { } threshold)
        {
            return null;
        }
        var vector = await embedder.EmbedAsync(call.Body.Memory, call.Kind, settings.SemanticMultiTurn, call.Aborted);
        if (vector is null)
        {
            return null;
        }
        plan.Embedding = vector;
        // The namespace separates indexes as it separates exact keys.
        plan.IndexKey = ISemanticIndexGrain.KeyOf(ScopeOf(call), plan.Namespace is null ? call.ModelGroup : plan.Namespace + ":" + call.ModelGroup);
        var index = cluster.GetGrain<ISemanticIndexGrain>(plan.IndexKey);
        SemanticMatch? match;
        try
        {
            match = await index.Search(vector, threshold, NowMs());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CacheGateLog.SemanticUnavailable(logger, "search", plan.IndexKey, e.Message);
            return null;
        }
        if (match is null || match.CacheKey == plan.Key)
        {
            return null;
        }
        CacheLookup found;
        try
        {
            found = await cluster.GetGrain<ICacheGrain>(match.CacheKey).Lookup(new CacheLookupRequest(call.CallId, false, plan.MaxAgeMs, NowMs()));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CacheGateLog.Unavailable(logger, "semantic lookup", match.CacheKey, e.Message);
            return null;
        }
        if (found.Status == CacheLookupStatus.Hit && found.Entry is { } entry && Replayable(entry))
        {
            if (plan.Role == CacheRole.Lead)
            {
                plan.SharedEntry = entry with { Key = plan.Key };
            }
            else
            {
                plan.Role = CacheRole.None;
            }
            plan.Embedding = null; // nothing new is stored, so nothing new is indexed
            return await ReplayAsync(call, group, entry, SemanticHit, similarity: match.Similarity);
        }
        if (plan.MaxAgeMs is null)
        {
            // The entry expired or was deleted: its row would only ever miss.
            _ = RemoveAsync(index, plan.IndexKey, match.CacheKey);
        }
        return null;
    }

    // key scope: the virtual key's hash (the master key and an open gateway's callers share one index); team scope: the
    // admission's team, or the key's scope for a key outside any team.
    private string ScopeOf(GatewayCall call) => settings.SemanticScope switch
    {
        SemanticCacheScope.Global => "global",
        SemanticCacheScope.Team when call.Admission?.TeamId is { Length: > 0 } team => "team:" + team,
        _ => "key:" + (call.KeyHash.Length > 0 ? call.KeyHash : "master"),
    };

    private async Task CompleteAsync(CachePlan plan, CacheEntry? entry, Task? pumped, CacheStorePolicy policy)
    {
        if (pumped is not null)
        {
            await pumped.ConfigureAwait(false); // every chunk appended before the lease is completed (the pump never throws)
        }
        try
        {
            await cluster.GetGrain<ICacheGrain>(plan.Key).Complete(plan.LeaseId!, entry, policy).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CacheGateLog.NotSent(logger, "complete", plan.Key, e.Message);
            return;
        }
        if (entry is not null && policy.Store)
        {
            memory.Put(entry);
        }
        if (entry is not null && policy.Store)
        {
            await IndexAsync(plan, entry).ConfigureAwait(false);
        }
    }

    private async Task StoreAsync(CachePlan plan, CacheEntry entry)
    {
        try
        {
            await cluster.GetGrain<ICacheGrain>(plan.Key).Store(entry, plan.Policy).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CacheGateLog.NotSent(logger, "store", plan.Key, e.Message);
            return;
        }
        memory.Put(entry);
        await IndexAsync(plan, entry).ConfigureAwait(false);
    }

    private async Task IndexAsync(CachePlan plan, CacheEntry entry)
    {
        if (plan.Embedding is not { } vector || plan.IndexKey is not { } indexKey)
        {
            return;
        }
        try
        {
            await cluster.GetGrain<ISemanticIndexGrain>(indexKey).Add(plan.Key, vector, entry.ExpiresMs).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CacheGateLog.SemanticUnavailable(logger, "add", indexKey, e.Message);
        }
    }

    private async Task RemoveAsync(ISemanticIndexGrain index, string indexKey, string cacheKey)
    {
        try
        {
            await index.Remove([cacheKey]).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CacheGateLog.SemanticUnavailable(logger, "remove", indexKey, e.Message);
        }
    }

    private static void MarkHit(GatewayCall call, ModelDeployment[] group, CacheEntry entry)
    {
        call.CacheHit = true;
        call.CacheSavedCost = entry.Cost;
        call.Deployment = Array.Find(group, d => d.Id == entry.DeploymentId) ?? group[0];
        call.Price = PriceTable.Free; // a hit costs nothing: x-litellm-response-cost 0
    }

    private static void TraceChunks(GatewayCall call, IReadOnlyList<byte[]> chunks, int from)
    {
        if (call.Trace is not { } trace)
        {
            return;
        }
        var includeUsage = call.Info.IncludeUsage;
        for (var i = from; i < chunks.Count; i++)
        {
            if (includeUsage || !CacheReplay.IsUsageOnly(chunks[i]))
            {
                trace.AddChunk(chunks[i]);
            }
        }
    }

    // An entry with neither a body nor chunks (never written so) is treated as a miss rather than replayed empty.
    private static bool Replayable(CacheEntry entry) => entry.Body is not null || !entry.Chunks.IsDefaultOrEmpty;

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
