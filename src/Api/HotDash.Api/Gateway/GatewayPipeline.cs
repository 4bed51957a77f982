using ProviderKinds = HotDash.Hosting.Configuration.Providers;
using System.Diagnostics;
using HotDash.Api.Providers;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Options;

namespace HotDash.Api.Gateway;

/// <summary>
/// The request path: authenticate, read the body once, validate what routing needs, choose a
/// deployment, forward, retry a retryable failure on another deployment, record.
/// </summary>
internal sealed class GatewayPipeline(
    HotDashConfig config,
    IOptions<GatewayOptions> options,
    MasterKeyAuth auth,
    ModelCatalog catalog,
    DeploymentRouter router,
    OpenAiAdapter openAi,
    MockAdapter mock,
    GatewayMetrics metrics,
    IClusterClient cluster,
    TimeProvider time,
    ILogger<GatewayPipeline> logger)
{
    private readonly GatewayOptions limits = options.Value;

    public async Task HandleAsync(HttpContext context, EndpointKind kind)
    {
        var start = Stopwatch.GetTimestamp();
        var callId = Guid.NewGuid().ToString();
        context.Response.Headers[GatewayHeaders.CallId] = callId;

        if (!auth.IsAuthorized(context.Request))
        {
            await OpenAiError.WriteAsync(context, 401,
                "Authentication Error: invalid or missing API key. Send 'Authorization: Bearer <key>'.", OpenAiError.Auth, "api_key");
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
            if (!catalog.TryGetGroup(info.Model!, out var group))
            {
                await OpenAiError.WriteAsync(context, 400,
                    $"Invalid model name passed in model={info.Model}. Known models: {catalog.KnownList()}. Call GET /v1/models to list them.",
                    OpenAiError.InvalidRequest, "model");
                Record(400, info, default, start);
                return;
            }

            var call = new GatewayCall(context, kind, body, info, callId, start);
            var result = await ForwardAsync(call, group);
            if (!result.ResponseWritten)
            {
                if (result.StatusCode == 429 && result.ErrorType == OpenAiError.RateLimit && router.EarliestAvailable(group) is { } until)
                {
                    var seconds = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                await OpenAiError.WriteAsync(context, result.StatusCode, result.ErrorMessage ?? "The upstream failed.", result.ErrorType ?? OpenAiError.Upstream);
            }
            Record(result.StatusCode, info, result.Usage, start);
        }
    }

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
