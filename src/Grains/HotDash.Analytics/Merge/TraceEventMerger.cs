using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Analytics.Merge;

/// <summary>
/// Merges ingestion events into the stored rows of their entities, as Langfuse v3's ingestion does: pure, no I/O.
/// </summary>
/// <remarks>
/// <para>Per entity (project, table, id) the events are applied in envelope timestamp order (ties: event id, ordinal) on
/// top of the stored row, which counts as applied at its <c>EventTsMs</c>. An event older than that only fills fields
/// the row lacks (null, or an empty map), the newest such event first, so replaying a batch that is already in the row
/// changes nothing and a late-arriving create still contributes what the row never had. An event at or after it
/// overwrites field by field with its non-null fields.</para>
/// <para>Immutable once set: ids, the project, a trace's <c>TimestampMs</c>, an observation's <c>TraceId</c> and
/// <c>StartTimeMs</c>, a score's <c>TraceId</c> and <c>TimestampMs</c>. Tags are unioned (ordered, distinct); metadata is
/// merged key by key (later wins); usage and cost details are replaced as a whole when sent, their <c>total</c>
/// computed as input + output when missing. An observation's type comes from the body, else from the event type
/// (<c>span-*</c> SPAN, <c>generation-*</c> GENERATION, <c>event-create</c> EVENT, <c>agent-create</c> AGENT, ...);
/// only a body type overwrites an existing one.</para>
/// <para>Every row written is complete: an entity with no stored row and no create gets the first envelope timestamp as
/// its start/timestamp; defaults are written (environment <c>default</c>, level <c>DEFAULT</c>, public, bookmarked and
/// cache hit false, tags empty); <c>EventTsMs</c> is the newest envelope timestamp merged (never below the stored one),
/// <c>CreatedAtMs</c> the stored one or now, <c>UpdatedAtMs</c> now. <c>sdk-log</c> events and events without a body are
/// ignored.</para>
/// </remarks>
public static class TraceEventMerger
{
    /// <summary>The environment of an entity that never named one.</summary>
    public const string DefaultEnvironment = "default";

    /// <summary>The level of an observation that never named one.</summary>
    public const string DefaultLevel = "DEFAULT";

    /// <summary>The type of an observation whose body and event type name none (legacy <c>observation-*</c> events).</summary>
    public const string DefaultObservationType = "SPAN";

    /// <summary>Whether an event changes a row (not an <c>sdk-log</c>, has a body with an id).</summary>
    public static bool IsMergeable(TraceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Type != TraceEventTypes.SdkLog
            && (e.Trace is not null || e.Observation is not null || e.Score is not null)
            && !string.IsNullOrEmpty(e.EntityId);
    }

    /// <summary>The entities the events are about, per table, each once (to read their stored rows).</summary>
    public static MergeKeys KeysOf(IEnumerable<TraceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var traces = new HashSet<EntityKey>();
        var observations = new HashSet<EntityKey>();
        var scores = new HashSet<EntityKey>();
        var traceKeys = ImmutableArray.CreateBuilder<EntityKey>();
        var observationKeys = ImmutableArray.CreateBuilder<EntityKey>();
        var scoreKeys = ImmutableArray.CreateBuilder<EntityKey>();
        // Entities every one of whose events says it is new need no stored row (the gateway's generations and traces):
        // skipping their reads keeps a writer's cost flat as the tables grow.
        HashSet<EntityKey>? notNew = null;
        foreach (var e in events)
        {
            if (IsMergeable(e) && !e.NewEntity)
            {
                (notNew ??= []).Add(new EntityKey(e.ProjectId, e.EntityId));
            }
        }
        foreach (var e in events)
        {
            if (!IsMergeable(e) || (e.NewEntity && notNew?.Contains(new EntityKey(e.ProjectId, e.EntityId)) != true))
            {
                continue;
            }
            var key = new EntityKey(e.ProjectId, e.EntityId);
            var (seen, keys) = e.Trace is not null ? (traces, traceKeys)
                : e.Observation is not null ? (observations, observationKeys)
                : (scores, scoreKeys);
            if (seen.Add(key))
            {
                keys.Add(key);
            }
        }
        return new MergeKeys(traceKeys.ToImmutable(), observationKeys.ToImmutable(), scoreKeys.ToImmutable());
    }

    /// <summary>
    /// The observation type an event type implies (<c>span-update</c> SPAN, <c>tool-create</c> TOOL, ...), or null for
    /// event types that name none.
    /// </summary>
    public static string? ObservationTypeOf(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var dash = eventType.LastIndexOf('-');
        if (dash <= 0)
        {
            return null;
        }
        var verb = eventType.AsSpan(dash + 1);
        if (!verb.SequenceEqual("create") && !verb.SequenceEqual("update"))
        {
            return null;
        }
        return eventType[..dash] switch
        {
            "span" => "SPAN",
            "generation" => "GENERATION",
            "event" => "EVENT",
            "agent" => "AGENT",
            "tool" => "TOOL",
            "chain" => "CHAIN",
            "retriever" => "RETRIEVER",
            "evaluator" => "EVALUATOR",
            "embedding" => "EMBEDDING",
            "guardrail" => "GUARDRAIL",
            _ => null,
        };
    }

    /// <summary>
    /// Merges <paramref name="events"/> into <paramref name="stored"/> (the stored rows of the events' entities, as the
    /// store returned them; rows of other entities are ignored) and returns the rows to write: one per entity that
    /// at least one mergeable event is about, in the order the entities first appear.
    /// </summary>
    public static AnalyticsRows Merge(AnalyticsRows stored, IEnumerable<TraceEvent> events, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();

        var traces = new Dictionary<EntityKey, List<TraceEvent>>();
        var observations = new Dictionary<EntityKey, List<TraceEvent>>();
        var scores = new Dictionary<EntityKey, List<TraceEvent>>();
        var traceOrder = new List<EntityKey>();
        var observationOrder = new List<EntityKey>();
        var scoreOrder = new List<EntityKey>();
        foreach (var e in events)
        {
            if (!IsMergeable(e))
            {
                continue;
            }
            var key = new EntityKey(e.ProjectId, e.EntityId);
            var (groups, order) = e.Trace is not null ? (traces, traceOrder)
                : e.Observation is not null ? (observations, observationOrder)
                : (scores, scoreOrder);
            if (!groups.TryGetValue(key, out var list))
            {
                groups.Add(key, list = []);
                order.Add(key);
            }
            list.Add(e);
        }

        var storedTraces = Index(stored.Traces, t => new EntityKey(t.ProjectId, t.Id));
        var storedObservations = Index(stored.Observations, o => new EntityKey(o.ProjectId, o.Id));
        var storedScores = Index(stored.Scores, s => new EntityKey(s.ProjectId, s.Id));

        var traceRows = ImmutableArray.CreateBuilder<TraceRecord>(traceOrder.Count);
        foreach (var key in traceOrder)
        {
            traceRows.Add(MergeTrace(storedTraces.GetValueOrDefault(key), Sorted(traces[key]), now));
        }
        var observationRows = ImmutableArray.CreateBuilder<ObservationRecord>(observationOrder.Count);
        foreach (var key in observationOrder)
        {
            observationRows.Add(MergeObservation(storedObservations.GetValueOrDefault(key), Sorted(observations[key]), now));
        }
        var scoreRows = ImmutableArray.CreateBuilder<ScoreRecord>(scoreOrder.Count);
        foreach (var key in scoreOrder)
        {
            scoreRows.Add(MergeScore(storedScores.GetValueOrDefault(key), Sorted(scores[key]), now));
        }
        return new AnalyticsRows(traceRows.MoveToImmutable(), observationRows.MoveToImmutable(), scoreRows.MoveToImmutable());
    }

    private static Dictionary<EntityKey, T> Index<T>(ImmutableArray<T> rows, Func<T, EntityKey> key)
    {
        var index = new Dictionary<EntityKey, T>();
        if (!rows.IsDefault)
        {
            foreach (var row in rows)
            {
                index[key(row)] = row;
            }
        }
        return index;
    }

    // Stable: events of the same millisecond keep their batch order, as Langfuse applies them (an SDK's trace() and
    // trace.update() often share a millisecond, and the create must come first).
    private static List<TraceEvent> Sorted(List<TraceEvent> events)
    {
        var sorted = new List<TraceEvent>(events.Count);
        sorted.AddRange(events.OrderBy(e => e.TimestampMs));
        return sorted;
    }

    // One entity's events (in merge order) on top of its stored row: events older than the row only fill what it lacks
    // (the newest of them first, so it wins), the others overwrite in order. The version is the newest timestamp applied.
    private static (T Row, long Version) Fold<T>(T? stored, long? storedVersion, List<TraceEvent> events, Func<TraceEvent, T> create, Func<T, TraceEvent, bool, T> apply)
        where T : class
    {
        var storedTs = storedVersion ?? long.MinValue;
        var row = stored;
        if (row is not null)
        {
            for (var i = events.Count - 1; i >= 0; i--)
            {
                if (events[i].TimestampMs < storedTs)
                {
                    row = apply(row, events[i], true);
                }
            }
        }
        var version = storedTs;
        foreach (var e in events)
        {
            if (e.TimestampMs < storedTs)
            {
                continue;
            }
            row = apply(row ?? create(e), e, false);
            version = Math.Max(version, e.TimestampMs);
        }
        if (stored is null)
        {
            version = events[^1].TimestampMs;
        }
        return (row!, version);
    }

    private static TraceRecord MergeTrace(TraceRecord? stored, List<TraceEvent> events, long now)
    {
        var (row, version) = Fold(stored, stored?.EventTsMs, events,
            static e => new TraceRecord(e.Trace!.Id) { ProjectId = e.Trace.ProjectId },
            static (r, e, fillOnly) => ApplyTrace(r, e.Trace!, fillOnly));
        return row! with
        {
            TimestampMs = row.TimestampMs ?? events[0].TimestampMs,
            Environment = row.Environment ?? DefaultEnvironment,
            Public = row.Public ?? false,
            Bookmarked = row.Bookmarked ?? false,
            Tags = row.Tags ?? ImmutableArray<string>.Empty,
            EventTsMs = version,
            CreatedAtMs = stored?.CreatedAtMs ?? now,
            UpdatedAtMs = now,
        };
    }

    private static ObservationRecord MergeObservation(ObservationRecord? stored, List<TraceEvent> events, long now)
    {
        var (row, version) = Fold(stored, stored?.EventTsMs, events,
            static e => new ObservationRecord(e.Observation!.Id) { ProjectId = e.Observation.ProjectId },
            static (r, e, fillOnly) => ApplyObservation(r, e, fillOnly));
        return row! with
        {
            Type = row.Type ?? DefaultObservationType,
            StartTimeMs = row.StartTimeMs ?? events[0].TimestampMs,
            Environment = row.Environment ?? DefaultEnvironment,
            Level = row.Level ?? DefaultLevel,
            CacheHit = row.CacheHit ?? false,
            EventTsMs = version,
            CreatedAtMs = stored?.CreatedAtMs ?? now,
            UpdatedAtMs = now,
        };
    }

    private static ScoreRecord MergeScore(ScoreRecord? stored, List<TraceEvent> events, long now)
    {
        var (row, version) = Fold(stored, stored?.EventTsMs, events,
            static e => new ScoreRecord(e.Score!.Id) { ProjectId = e.Score.ProjectId },
            static (r, e, fillOnly) => ApplyScore(r, e.Score!, fillOnly));
        return row! with
        {
            TimestampMs = row.TimestampMs ?? events[0].TimestampMs,
            Environment = row.Environment ?? DefaultEnvironment,
            EventTsMs = version,
            CreatedAtMs = stored?.CreatedAtMs ?? now,
            UpdatedAtMs = now,
        };
    }

    private static TraceRecord ApplyTrace(TraceRecord row, TraceRecord ev, bool fillOnly) => row with
    {
        TimestampMs = row.TimestampMs ?? ev.TimestampMs,
        Name = Pick(row.Name, ev.Name, fillOnly),
        UserId = Pick(row.UserId, ev.UserId, fillOnly),
        SessionId = Pick(row.SessionId, ev.SessionId, fillOnly),
        Release = Pick(row.Release, ev.Release, fillOnly),
        Version = Pick(row.Version, ev.Version, fillOnly),
        Environment = Pick(row.Environment, ev.Environment, fillOnly),
        Public = Pick(row.Public, ev.Public, fillOnly),
        Bookmarked = Pick(row.Bookmarked, ev.Bookmarked, fillOnly),
        Tags = Union(row.Tags, ev.Tags),
        Input = Pick(row.Input, ev.Input, fillOnly),
        Output = Pick(row.Output, ev.Output, fillOnly),
        Metadata = MergeMetadata(row.Metadata, ev.Metadata, fillOnly),
    };

    private static ObservationRecord ApplyObservation(ObservationRecord row, TraceEvent e, bool fillOnly)
    {
        var ev = e.Observation!;
        var bodyType = string.IsNullOrEmpty(ev.Type) ? null : ev.Type.ToUpperInvariant();
        var usage = WithTotal(ev.UsageDetails);
        var cost = WithTotal(ev.CostDetails);
        var sentTotalCost = ev.TotalCost ?? (cost is not null && cost.TryGetValue(UsageKeys.Total, out var t) ? t : null);
        return row with
        {
            TraceId = row.TraceId ?? ev.TraceId,
            // Only a body type replaces a known type: an SDK may update an AGENT with a span-update.
            Type = !fillOnly && bodyType is not null ? bodyType : row.Type ?? bodyType ?? ObservationTypeOf(e.Type),
            ParentObservationId = Pick(row.ParentObservationId, ev.ParentObservationId, fillOnly),
            Environment = Pick(row.Environment, ev.Environment, fillOnly),
            StartTimeMs = row.StartTimeMs ?? ev.StartTimeMs,
            EndTimeMs = Pick(row.EndTimeMs, ev.EndTimeMs, fillOnly),
            CompletionStartTimeMs = Pick(row.CompletionStartTimeMs, ev.CompletionStartTimeMs, fillOnly),
            Name = Pick(row.Name, ev.Name, fillOnly),
            Level = Pick(row.Level, ev.Level, fillOnly),
            StatusMessage = Pick(row.StatusMessage, ev.StatusMessage, fillOnly),
            Version = Pick(row.Version, ev.Version, fillOnly),
            Input = Pick(row.Input, ev.Input, fillOnly),
            Output = Pick(row.Output, ev.Output, fillOnly),
            Metadata = MergeMetadata(row.Metadata, ev.Metadata, fillOnly),
            ModelParameters = Pick(row.ModelParameters, ev.ModelParameters, fillOnly),
            Model = Pick(row.Model, ev.Model, fillOnly),
            UsageDetails = Replace(row.UsageDetails, usage, fillOnly),
            CostDetails = Replace(row.CostDetails, cost, fillOnly),
            TotalCost = Pick(row.TotalCost, sentTotalCost, fillOnly),
            PromptName = Pick(row.PromptName, ev.PromptName, fillOnly),
            PromptVersion = Pick(row.PromptVersion, ev.PromptVersion, fillOnly),
            ModelGroup = Pick(row.ModelGroup, ev.ModelGroup, fillOnly),
            Deployment = Pick(row.Deployment, ev.Deployment, fillOnly),
            TeamId = Pick(row.TeamId, ev.TeamId, fillOnly),
            KeyAlias = Pick(row.KeyAlias, ev.KeyAlias, fillOnly),
            EndUser = Pick(row.EndUser, ev.EndUser, fillOnly),
            CacheHit = Pick(row.CacheHit, ev.CacheHit, fillOnly),
        };
    }

    private static ScoreRecord ApplyScore(ScoreRecord row, ScoreRecord ev, bool fillOnly) => row with
    {
        TraceId = row.TraceId ?? ev.TraceId,
        TimestampMs = row.TimestampMs ?? ev.TimestampMs,
        SessionId = Pick(row.SessionId, ev.SessionId, fillOnly),
        ObservationId = Pick(row.ObservationId, ev.ObservationId, fillOnly),
        Name = Pick(row.Name, ev.Name, fillOnly),
        Value = Pick(row.Value, ev.Value, fillOnly),
        StringValue = Pick(row.StringValue, ev.StringValue, fillOnly),
        DataType = Pick(row.DataType, ev.DataType, fillOnly),
        Source = Pick(row.Source, ev.Source, fillOnly),
        Comment = Pick(row.Comment, ev.Comment, fillOnly),
        Metadata = MergeMetadata(row.Metadata, ev.Metadata, fillOnly),
        Environment = Pick(row.Environment, ev.Environment, fillOnly),
        ConfigId = Pick(row.ConfigId, ev.ConfigId, fillOnly),
    };

    private static T? Pick<T>(T? current, T? incoming, bool fillOnly) where T : class =>
        fillOnly ? current ?? incoming : incoming ?? current;

    private static T? Pick<T>(T? current, T? incoming, bool fillOnly) where T : struct =>
        fillOnly ? current ?? incoming : incoming ?? current;

    private static ImmutableArray<string>? Union(ImmutableArray<string>? current, ImmutableArray<string>? incoming)
    {
        if (incoming is not { IsDefault: false } add)
        {
            return current;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<string>();
        if (current is { IsDefault: false } existing)
        {
            foreach (var tag in existing)
            {
                if (seen.Add(tag))
                {
                    result.Add(tag);
                }
            }
        }
        foreach (var tag in add)
        {
            if (tag is not null && seen.Add(tag))
            {
                result.Add(tag);
            }
        }
        return result.ToImmutable();
    }

    private static ImmutableDictionary<string, string>? MergeMetadata(
        ImmutableDictionary<string, string>? current, ImmutableDictionary<string, string>? incoming, bool fillOnly)
    {
        if (incoming is null || incoming.IsEmpty)
        {
            return current ?? incoming;
        }
        if (current is null || current.IsEmpty)
        {
            return incoming.WithComparers(StringComparer.Ordinal);
        }
        if (!fillOnly)
        {
            return current.SetItems(incoming);
        }
        var merged = current;
        foreach (var (key, value) in incoming)
        {
            if (!merged.ContainsKey(key))
            {
                merged = merged.Add(key, value);
            }
        }
        return merged;
    }

    private static ImmutableDictionary<string, TValue>? Replace<TValue>(
        ImmutableDictionary<string, TValue>? current, ImmutableDictionary<string, TValue>? incoming, bool fillOnly) =>
        fillOnly
            ? current is null || current.IsEmpty ? incoming ?? current : current
            : incoming ?? current;

    private static ImmutableDictionary<string, long>? WithTotal(ImmutableDictionary<string, long>? details)
    {
        if (details is null || details.ContainsKey(UsageKeys.Total))
        {
            return details;
        }
        var hasInput = details.TryGetValue(UsageKeys.Input, out var input);
        var hasOutput = details.TryGetValue(UsageKeys.Output, out var output);
        return hasInput || hasOutput ? details.SetItem(UsageKeys.Total, input + output) : details;
    }

    private static ImmutableDictionary<string, decimal>? WithTotal(ImmutableDictionary<string, decimal>? details)
    {
        if (details is null || details.ContainsKey(UsageKeys.Total))
        {
            return details;
        }
        var hasInput = details.TryGetValue(UsageKeys.Input, out var input);
        var hasOutput = details.TryGetValue(UsageKeys.Output, out var output);
        return hasInput || hasOutput ? details.SetItem(UsageKeys.Total, input + output) : details;
    }
}
