using ProviderKinds = HotDash.Hosting.Configuration.Providers;
using System.Diagnostics;
using HotDash.Api.Caching;
using HotDash.Api.Providers;
using HotDash.Api.Quotas;
using HotDash.Api.Spend;
using HotDash.Api.Tracing;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Options;

namespace HotDash.Api.Gateway;

/// <summary>
/// The request path: authenticate, read the body once, validate what routing needs, admit a virtual key
/// (one cluster call), choose a deployment, forward, retry a retryable failure on another deployment, then
/// settle or release the key's reservation (one-way) and hand the spend row to the shipper. A cacheable call goes
/// through the <see cref="CacheGate"/> between admission and upstream: a hit, a shared answer or a semantic hit never
/// reaches the upstream, and is settled with no tokens and no cost (the reservation still counts for rpm).
/// </summary>
internal sealed class GatewayPipeline(
    HotDashConfig config,
    IOptions<GatewayOptions> options,
    MasterKeyAuth auth,
    ModelCatalog catalog,
    DeploymentRouter router,
    OpenAiAdapter openAi,
    MockAdapter mock,
    QuotaGate quotas,
    SpendShipper spend,
    TraceRecorder traces,
    CacheGate cache,
    GatewayMetrics metrics,
    IClusterClient cluster,
    TimeProvider time,
    ILogger<GatewayPipeline> logger)
{
    private readonly GatewayOptions limits = options.Value;

    public async Task HandleAsync(HttpContext context, EndpointKind kind)
    {
        var start = Stopwatch.GetTimestamp();
        var startTime = time.GetUtcNow();
        var callId = Guid.NewGuid().ToString();
        context.Response.Headers[GatewayHeaders.CallId] = callId;

        var caller = auth.Authenticate(context.Request);
        if (caller.Kind == CallerKind.Missing)
        {
            await OpenAiError.WriteAsync(context, 401,
                caller.Rejection ?? "Authentication Error: invalid or missing API key. Send 'Authorization: Bearer <key>'.", OpenAiError.Auth, "api_key");
            return;
        }

        var declared = context.Request.ContentLength;
        if (declared > limits.MaxRequestBytes)
        {
            await TooLargeAsync(context);
            return;
        }

        PooledBody body;
        bool within;
        try
        {
            (body, within) = await PooledBody.ReadAsync(context.Request.Body, declared, limits.MaxRequestBytes, context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            return; // the client went away while sending; nobody to answer
        }

        using (body)
        {
            if (!within)
            {
                await TooLargeAsync(context);
                return;
            }
            var info = RequestInspector.Inspect(body.Span, kind);
            if (!info.IsValid)
            {
                await OpenAiError.WriteAsync(context, 400, info.ErrorMessage!, OpenAiError.InvalidRequest, info.ErrorParam);
                Record(400, info, default, start);
                return;
            }

            var model = info.Model!;
            KeyAdmissionDecision? admission = null;
            var estimate = default(QuotaEstimate);
            if (caller.Kind == CallerKind.VirtualKey)
            {
                var traits = catalog.TraitsOf(model);
                estimate = quotas.Estimate(body.Span, info, kind, traits);
                admission = await quotas.AdmitAsync(new KeyAdmissionRequest(callId, caller.KeyHash, model, traits.AccessGroups, estimate.Tokens, estimate.Cost));
                if (admission is null)
                {
                    await OpenAiError.WriteAsync(context, 503,
                        "The gateway cannot check API keys right now: the HotDash cluster is unreachable. Retry shortly.", OpenAiError.ServiceUnavailable);
                    Record(503, info, default, start);
                    return;
                }
                if (admission.Status == KeyAdmissionStatus.UnknownKey && caller.OpenGateway)
                {
                    admission = null; // no master key: a key the registry does not know is just an open caller
                }
                else if (admission.Status != KeyAdmissionStatus.Admitted)
                {
                    var status = await RefuseAsync(context, admission, caller.KeyHash);
                    Record(status, info, default, start);
                    return;
                }
                else
                {
                    model = admission.Model;
                }
            }

            if (!catalog.TryGetGroup(model, out var group))
            {
                if (admission is not null)
                {
                    quotas.Release(callId, admission.SubjectKeys);
                }
                await OpenAiError.WriteAsync(context, 400,
                    $"Invalid model name passed in model={model}. Known models: {catalog.KnownList()}. Call GET /v1/models to list them.",
                    OpenAiError.InvalidRequest, "model");
                Record(400, info, default, start);
                return;
            }

            CachePlan? plan = null;
            if (cache.Enabled && !cache.TryPlan(body.Span, info, kind, model, admission, out plan, out var cacheError, out var cacheParam))
            {
                // Bad cache controls are refused before any upstream call, as any other bad field is.
                if (admission is not null)
                {
                    quotas.Release(callId, admission.SubjectKeys);
                }
                await OpenAiError.WriteAsync(context, 400, cacheError!, OpenAiError.InvalidRequest, cacheParam);
                Record(400, info, default, start);
                return;
            }

            var call = new GatewayCall(context, kind, body, info, callId, start)
            {
                StartTime = startTime,
                ModelGroup = model,
                KeyHash = admission is null ? "" : caller.KeyHash,
                Admission = admission,
                Estimate = estimate,
                // Only a virtual key's stream without a usage chunk needs its text measured for settlement.
                TextMeter = admission is not null && info.Stream && !info.IncludeUsage ? new CompletionTextMeter() : null,
                Trace = traces.Start(kind),
            };
            UpstreamResult result;
            try
            {
                result = plan is null ? await ForwardAsync(call, group) : await cache.ServeAsync(plan, call, group, ForwardAsync);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
            {
                result = UpstreamResult.Gone; // the client left while its answer was being written
            }
            catch
            {
                var failed = UpstreamResult.Failed(500, "Internal error in the gateway.", OpenAiError.Internal, retryable: false);
                Complete(call, failed);
                if (plan is not null)
                {
                    cache.Finish(plan, call); // a leader's followers must not wait for an answer that will not come
                }
                traces.Record(call, failed);
                throw;
            }
            Complete(call, result); // before the error answer: a client gone mid-write must not keep its reservation
            if (plan is not null)
            {
                cache.Finish(plan, call); // the settled usage and cost go into the entry; nothing here waits on the cluster
            }
            if (!result.ResponseWritten)
            {
                if (result.StatusCode == 429 && result.ErrorType == OpenAiError.RateLimit && router.EarliestAvailable(group) is { } until)
                {
                    var seconds = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                await OpenAiError.WriteAsync(context, result.StatusCode, result.ErrorMessage ?? "The upstream failed.", result.ErrorType ?? OpenAiError.Upstream);
            }
            traces.Record(call, result); // the answer is complete: copies only, queued without waiting
            Record(result.StatusCode, info, result.Usage, start);
        }
    }

    /// <summary>Answers a virtual key's refusal (401, 403 or 429) and returns the status sent.</summary>
    private static async Task<int> RefuseAsync(HttpContext context, KeyAdmissionDecision admission, string keyHash)
    {
        switch (admission.Status)
        {
            case KeyAdmissionStatus.RateLimited when admission.Quota is { } quota:
                QuotaHeaders.WriteRefusal(context.Response.Headers, quota, keyHash);
                await OpenAiError.WriteRateLimitedAsync(context, admission.Message ?? quota.Message ?? "Rate limit exceeded.",
                    quota.RefusalType ?? QuotaRefusalType.Throttling, quota.RateLimitType);
                return 429;
            case KeyAdmissionStatus.Expired:
                await OpenAiError.WriteAsync(context, 401, admission.Message ?? "Authentication Error: the API key has expired.", OpenAiError.ExpiredKey, "api_key");
                return 401;
            case KeyAdmissionStatus.ModelDenied:
                await OpenAiError.WriteAsync(context, 403, admission.Message ?? "This API key is not allowed to call this model.", OpenAiError.KeyModelAccessDenied, "model");
                return 403;
            default:
                // UnknownKey, Blocked, TeamBlocked, and anything a newer silo may answer: never let it through.
                await OpenAiError.WriteAsync(context, 401, admission.Message ?? "Authentication Error: invalid or missing API key.", OpenAiError.Auth, "api_key");
                return 401;
        }
    }

    /// <summary>
    /// After the upstream call: settles (success) or releases (anything else) a virtual key's reservation, one-way,
    /// and hands the spend row to the shipper. Nothing here waits on the cluster.
    /// </summary>
    private void Complete(GatewayCall call, UpstreamResult result)
    {
        var success = result.ResponseWritten && result.StatusCode < 400 && !result.ClientGone;
        var usage = call.CacheHit ? default : result.Usage; // a hit used no tokens: it counts for rpm only
        if (success && !call.CacheHit && usage.TotalTokens == 0 && call.TextMeter is { } meter)
        {
            // A stream without a usage chunk: the estimate's prompt tokens and the completion text's length.
            usage = new TokenUsage(call.Estimate.PromptTokens, meter.EstimatedTokens);
        }
        var cost = success ? call.Price.Cost(usage.PromptTokens, usage.CompletionTokens, usage.CachedPromptTokens) : 0m;
        (call.Succeeded, call.Usage, call.Cost) = (success, usage, cost);
        if (call.Admission is { } admission)
        {
            if (success)
            {
                quotas.Settle(call.CallId, admission.SubjectKeys, quotas.TokensOf(usage.PromptTokens, usage.CompletionTokens), cost);
            }
            else
            {
                quotas.Release(call.CallId, admission.SubjectKeys);
            }
        }
        var deployment = call.Deployment; // null when every deployment was cooling down
        spend.Enqueue(new SpendRow(call.CallId, call.KeyHash, deployment?.Model ?? call.ModelGroup, cost, call.StartTime, time.GetUtcNow())
        {
            TeamId = call.Admission?.TeamId,
            UserId = call.Admission?.UserId,
            EndUser = call.Info.User,
            ModelGroup = call.ModelGroup,
            DeploymentId = deployment?.Id ?? "",
            CallType = CallTypeOf(call.Kind),
            PromptTokens = usage.PromptTokens,
            CompletionTokens = usage.CompletionTokens,
            Success = success,
            CacheHit = call.CacheHit && success,
        });
    }

    /// <summary>LiteLLM's <c>call_type</c> of an endpoint.</summary>
    internal static string CallTypeOf(EndpointKind kind) => kind switch
    {
        EndpointKind.ChatCompletions => "acompletion",
        EndpointKind.Completions => "atext_completion",
        _ => "aembedding",
    };

    private async ValueTask<UpstreamResult> ForwardAsync(GatewayCall call, ModelDeployment[] group)
    {
        var retries = call.Info.MockResponse is null ? limits.NumRetries : 0;
        var tried = new string[retries + 1];
        var result = default(UpstreamResult);
        for (var attempt = 0; attempt <= retries; attempt++)
        {
            var deployment = router.Choose(group, tried.AsSpan(0, attempt));
            if (deployment is null)
            {
                return attempt == 0
                    ? UpstreamResult.Failed(429, $"No deployments available for model={call.Info.Model}: every deployment is cooling down after failures. Try again shortly.", OpenAiError.RateLimit, retryable: false)
                    : result;
            }
            tried[attempt] = deployment.Id;
            call.Deployment = deployment;
            call.Price = catalog.PriceOf(deployment);
            if (attempt > 0)
            {
                call.Context.Response.Headers[GatewayHeaders.AttemptedRetries] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var adapter = AdapterFor(call, deployment);
            if (adapter is null)
            {
                return UpstreamResult.Failed(400, $"The provider \"{deployment.Provider}\" of model={deployment.ModelName} ({deployment.Model}) is not supported by this HotDash version.", OpenAiError.InvalidRequest, retryable: false);
            }
            result = await adapter.SendAsync(call, TimeoutFor(deployment, call.Info.Stream));
            if (result.ClientGone || result.ResponseWritten && result.StatusCode < 400)
            {
                return result;
            }
            if (!result.ResponseWritten && result.Retryable)
            {
                ReportFailure(deployment, group.Length > 1, result);
                GatewayLog.UpstreamFailed(logger, deployment.ModelName, deployment.Id, result.StatusCode, result.ErrorMessage);
                continue;
            }
            return result;
        }
        return result;
    }

    private IProviderAdapter? AdapterFor(GatewayCall call, ModelDeployment deployment) =>
        call.Info.MockResponse is not null ? mock
        : ProviderKinds.AdapterFor(deployment.Provider) switch
        {
            ProviderKinds.Mock => mock,
            ProviderKinds.OpenAI => openAi,
            _ => null,
        };

    private TimeSpan TimeoutFor(ModelDeployment d, bool stream)
    {
        var seconds = (stream ? d.StreamTimeoutSeconds : null) ?? d.TimeoutSeconds;
        return seconds is > 0 ? TimeSpan.FromSeconds(seconds.Value) : limits.DefaultTimeout;
    }

    private void ReportFailure(ModelDeployment deployment, bool hasAlternatives, UpstreamResult result)
    {
        // Only a group with alternatives is cooled down (as LiteLLM); the cluster grain decides.
        if (!hasAlternatives)
        {
            return;
        }
        var failure = new DeploymentFailure(result.StatusCode, result.ErrorMessage ?? "", limits.AllowedFails, limits.CooldownTime);
        _ = ReportAsync(deployment.Id, failure);
    }

    private async Task ReportAsync(string deploymentId, DeploymentFailure failure)
    {
        try
        {
            var cooldown = await cluster.GetGrain<IDeploymentHealthGrain>(deploymentId).ReportFailure(failure);
            if (cooldown is not null)
            {
                router.CoolDown(deploymentId, cooldown.Until);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The cluster is unreachable: judge locally so a dead deployment is still skipped.
            GatewayLog.ClusterUnavailable(logger, e.Message);
            if (limits.AllowedFails == 0)
            {
                router.CoolDown(deploymentId, time.GetUtcNow() + limits.CooldownTime);
            }
        }
    }

    private Task TooLargeAsync(HttpContext context)
    {
        context.Response.Headers.Connection = "close"; // the rest of the body is not read
        return OpenAiError.WriteAsync(context, 413,
            $"Request body too large: the limit is {config.GeneralSettings.MaxRequestSizeMb} MB (general_settings.max_request_size_mb).",
            OpenAiError.InvalidRequest, null, "413");
    }

    private void Record(int status, RequestInfo info, TokenUsage usage, long start) =>
        metrics.Record(status, info.Stream, usage, Stopwatch.GetElapsedTime(start));
}
