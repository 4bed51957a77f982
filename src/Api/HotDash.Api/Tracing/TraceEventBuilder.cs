using System.Collections.Immutable;
using System.Globalization;
using HotDash.Api.Gateway;
using HotDash.Api.Providers;
using HotDash.Api.Quotas;
using HotDash.Grains;

namespace HotDash.Api.Tracing;

/// <summary>
/// Turns a <see cref="TraceCapture"/> into the two events LiteLLM's Langfuse logger sends for a call: a
/// <c>trace-create</c> and a <c>generation-create</c> (see <c>litellm/integrations/langfuse/langfuse.py</c>). The trace
/// keys come from the request's <c>metadata</c> and <c>langfuse_*</c> headers: <c>existing_trace_id</c> (then the
/// trace event carries only its id, plus <c>update_trace_keys</c>, so an existing trace is not overwritten),
/// <c>trace_id</c>, <c>trace_name</c>, <c>session_id</c>, <c>trace_user_id</c>, <c>tags</c>, <c>trace_metadata</c>,
/// <c>trace_release</c>, <c>trace_version</c>, <c>generation_name</c>, <c>generation_id</c>, <c>parent_observation_id</c>,
/// <c>version</c>, <c>mask_input</c>, <c>mask_output</c>, <c>debug_langfuse</c>. Runs on the shipper's thread, never on
/// a request's.
/// </summary>
internal sealed class TraceEventBuilder(string projectId, bool turnOffMessageLogging, TokenCounter tokens, string environment = TraceEventBuilder.DefaultEnvironment)
{
    /// <summary>Langfuse's environment when none is set.</summary>
    public const string DefaultEnvironment = "default";

    private const string DefaultLevel = "DEFAULT";
    private const string ErrorLevel = "ERROR";

    public string ProjectId { get; } = projectId;

    /// <summary>The trace event and the generation event, in that order. Gives the capture's buffers back.</summary>
    public (TraceEvent Trace, TraceEvent Generation) Build(TraceCapture c)
    {
        var body = c.RequestBody;
        var parts = RequestBodyParts.Read(body, c.Kind);
        using var keys = TraceKeys.Read(parts.Metadata is { } m ? body.AsMemory()[m] : default, c.LangfuseHeaders);
        var callType = GatewayPipeline.CallTypeOf(c.Kind);

        string? output = null;
        var outputText = "";
        if (!c.Success)
        {
            output = TraceJson.String(c.ErrorMessage ?? $"The call failed with status {c.StatusCode}.");
        }
        else if (c.Kind != EndpointKind.Embeddings)
        {
            if (c.Streamed)
            {
                (output, outputText) = TraceOutput.FromStream(c.Response, c.Kind);
            }
            else
            {
                output = TraceOutput.FromBody(c.Response, c.Kind);
            }
        }
        c.Return();

        // turn_off_message_logging and no-log redact both; LiteLLM's mask_input / mask_output one each.
        var redactAll = turnOffMessageLogging || parts.NoLog;
        var input = redactAll || keys.Bool("mask_input") ? TraceRedaction.RedactedJson : TraceJson.Input(body, parts);
        if (redactAll || keys.Bool("mask_output"))
        {
            output = TraceRedaction.RedactedJson;
        }

        var usage = c.Usage;
        var cost = c.Cost;
        if (c.Success && c.Streamed && usage.TotalTokens == 0 && !c.CacheHit)
        {
            // A stream without a usage chunk: count what went both ways (off the request path, so the real tokenizer).
            var prompt = c.EstimatedPromptTokens > 0 ? c.EstimatedPromptTokens : PromptTokenEstimator.Count(body, c.Kind, tokens);
            usage = new TokenUsage(prompt, tokens.Count(outputText));
            cost = c.Price.Cost(usage.PromptTokens, usage.CompletionTokens, usage.CachedPromptTokens);
        }

        var startMs = c.StartTime.ToUnixTimeMilliseconds();
        var endMs = c.EndTime.ToUnixTimeMilliseconds();
        var existingTraceId = keys.String("existing_trace_id");
        var traceId = existingTraceId ?? keys.String("trace_id") ?? c.CallId;

        var trace = existingTraceId is null
            ? NewTrace(c, keys, traceId, callType, startMs, input, c.Success ? output : null)
            : ExistingTrace(keys, traceId, input, c.Success ? output : null);

        var deployment = c.Deployment;
        var generation = new ObservationRecord(keys.String("generation_id") ?? c.CallId)
        {
            ProjectId = ProjectId,
            TraceId = traceId,
            Type = "GENERATION",
            ParentObservationId = keys.String("parent_observation_id"),
            Environment = environment,
            StartTimeMs = startMs,
            EndTimeMs = endMs,
            CompletionStartTimeMs = c.Streamed ? c.FirstChunkTime?.ToUnixTimeMilliseconds() ?? (c.Success ? endMs : null) : c.Success ? endMs : null,
            Name = keys.String("generation_name")
                ?? (c.Admission?.KeyAlias is { } alias ? $"litellm:{alias}" : $"litellm-{callType}"),
            Level = c.Success ? DefaultLevel : ErrorLevel,
            StatusMessage = c.Success ? null : c.ErrorMessage,
            Version = keys.String("version"),
            Input = input,
            Output = output,
            Metadata = GenerationMetadata(c, keys, cost),
            ModelParameters = parts.ModelParameters,
            Model = deployment?.UpstreamModel,
            UsageDetails = c.Success || usage.TotalTokens > 0 ? UsageOf(usage) : null,
            CostDetails = c.Success ? CostOf(c, usage) : null,
            TotalCost = c.Success ? cost : null,
            ModelGroup = c.ModelGroup,
            Deployment = deployment?.Id,
            TeamId = c.Admission?.TeamId,
            KeyAlias = c.Admission?.KeyAlias,
            EndUser = c.EndUser,
            CacheHit = c.CacheHit,
        };
        return (
            // Ids made from this call's id are new: the writer reads no stored row for them.
            new TraceEvent(c.CallId + "-trace", endMs, TraceEventTypes.TraceCreate) { Trace = trace, NewEntity = traceId == c.CallId },
            new TraceEvent(c.CallId + "-generation", endMs, TraceEventTypes.GenerationCreate) { Observation = generation, NewEntity = generation.Id == c.CallId });
    }

    private TraceRecord NewTrace(TraceCapture c, TraceKeys keys, string traceId, string callType, long startMs, string? input, string? output)
    {
        var metadata = keys.Object("trace_metadata");
        if (keys.Bool("debug_langfuse") && keys.MetadataJsonWithoutSecrets() is { } raw)
        {
            metadata = (metadata ?? ImmutableDictionary<string, string>.Empty).SetItem("metadata_passed_to_litellm", raw);
        }
        return new TraceRecord(traceId)
        {
            ProjectId = ProjectId,
            TimestampMs = startMs,
            Name = keys.String("trace_name") ?? $"litellm-{callType}",
            UserId = keys.String("trace_user_id") ?? c.EndUser,
            SessionId = keys.String("session_id"),
            Release = keys.String("trace_release"),
            Version = keys.String("trace_version") ?? keys.String("version"),
            Environment = environment,
            Tags = keys.Strings("tags") ?? [],
            Input = input,
            Output = output,
            Metadata = metadata,
        };
    }

    // LiteLLM's update_trace_keys: the named keys (trace_ prefix dropped) update the existing trace; nothing else does.
    private TraceRecord ExistingTrace(TraceKeys keys, string traceId, string? input, string? output)
    {
        var trace = new TraceRecord(traceId) { ProjectId = ProjectId };
        foreach (var key in keys.Strings("update_trace_keys") ?? [])
        {
            var name = key.StartsWith("trace_", StringComparison.Ordinal) ? key[6..] : key;
            trace = name switch
            {
                "input" => trace with { Input = input },
                "output" => trace with { Output = output },
                "name" => trace with { Name = keys.String(key) },
                "user_id" => trace with { UserId = keys.String(key) },
                "session_id" => trace with { SessionId = keys.String(key) },
                "release" => trace with { Release = keys.String(key) },
                "version" => trace with { Version = keys.String(key) },
                "tags" => trace with { Tags = keys.Strings(key) },
                "metadata" => trace with { Metadata = keys.Object(key) },
                _ => trace,
            };
        }
        return trace;
    }

    // The requester's metadata without the Langfuse keys, and what LiteLLM's proxy adds; never a key or its hash.
    private static ImmutableDictionary<string, string> GenerationMetadata(TraceCapture c, TraceKeys keys, decimal cost)
    {
        var b = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        keys.CopyRemaining(b, IsTraceKey);
        if (c.Admission is { } admission)
        {
            if (admission.KeyAlias is { } alias)
            {
                b["user_api_key_alias"] = alias;
            }
            if (admission.TeamId is { } team)
            {
                b["user_api_key_team_id"] = team;
            }
            if (admission.UserId is { } user)
            {
                b["user_api_key_user_id"] = user;
            }
        }
        b["litellm_call_id"] = c.CallId;
        b["model_group"] = c.ModelGroup;
        if (c.Deployment is { } d)
        {
            b["model_id"] = d.Id;
            b["deployment"] = d.Model;
            if (TraceRedaction.SafeApiBase(d.ApiBase) is { } apiBase)
            {
                b["api_base"] = apiBase;
            }
        }
        b["litellm_response_cost"] = c.Success ? cost.ToString(CultureInfo.InvariantCulture) : "0";
        b["cache_hit"] = c.CacheHit ? "true" : "false";
        if (c.CacheHit)
        {
            b["cache_saved_cost"] = c.CacheSavedCost.ToString(CultureInfo.InvariantCulture);
        }
        return b.ToImmutable();
    }

    private static bool IsTraceKey(string key) =>
        key.StartsWith("trace_", StringComparison.Ordinal)
        || key is "existing_trace_id" or "session_id" or "tags" or "generation_name" or "generation_id" or "parent_observation_id"
            or "version" or "debug_langfuse" or "update_trace_keys" or "mask_input" or "mask_output" or "prompt"
            or "headers" or "endpoint" or "caching_groups" or "previous_models";

    private static ImmutableDictionary<string, long> UsageOf(TokenUsage usage)
    {
        var b = ImmutableDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        b[UsageKeys.Input] = usage.PromptTokens;
        b[UsageKeys.Output] = usage.CompletionTokens;
        b[UsageKeys.Total] = usage.TotalTokens;
        if (usage.CachedPromptTokens > 0)
        {
            b[UsageKeys.InputCached] = usage.CachedPromptTokens;
        }
        if (usage.ReasoningTokens > 0)
        {
            b[UsageKeys.OutputReasoning] = usage.ReasoningTokens;
        }
        return b.ToImmutable();
    }

    // The same arithmetic as ModelPrice.Cost, split: cached prompt tokens at the cache-read price when there is one.
    private static ImmutableDictionary<string, decimal> CostOf(TraceCapture c, TokenUsage usage)
    {
        var price = c.Price;
        var cached = price.CacheReadInputTokenCost is null ? 0 : Math.Clamp(usage.CachedPromptTokens, 0, usage.PromptTokens);
        var input = (usage.PromptTokens - cached) * price.InputCostPerToken + cached * (price.CacheReadInputTokenCost ?? 0);
        var output = usage.CompletionTokens * price.OutputCostPerToken;
        var b = ImmutableDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        b[UsageKeys.Input] = input;
        b[UsageKeys.Output] = output;
        b[UsageKeys.Total] = input + output;
        return b.ToImmutable();
    }
}
