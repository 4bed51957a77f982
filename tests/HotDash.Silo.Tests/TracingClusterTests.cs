using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>
/// Traces end to end across the built hosts as real processes: gateway requests and Langfuse ingestion batches go
/// through the silo's pipeline (aggregator, S3 archive, writer shards) into a private ClickHouse and are read back
/// through the dashboard's Langfuse public API, with ClickHouse stopped and started again under load.
/// </summary>
public sealed class TracingClusterTests(TracingClickHouse clickHouse, ITestOutputHelper output) : IClassFixture<TracingClickHouse>, IAsyncLifetime
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private TracingCluster? _cluster;

    [Fact]
    public async Task GatewayRequest_WithVirtualKeyAndLangfuseMetadata_AppearsAsTraceWithUsageAndCost()
    {
        if (_cluster is not { } c)
        {
            return;
        }
        await c.StartAsync();
        var team = await c.ManageAsync("/team/new", """{"team_alias":"tracing-team"}""");
        var teamId = team.GetProperty("team_id").GetString()!;
        var key = await c.ManageAsync("/key/generate", $$"""{"team_id":"{{teamId}}","key_alias":"tracing-key"}""");
        var apiKey = key.GetProperty("key").GetString()!;

        using var response = await c.ChatAsync(apiKey, """
            {"model":"priced-mock","user":"end-user-7","messages":[{"role":"user","content":"trace this request end to end"}],
             "metadata":{"session_id":"session-42","tags":["prod","e2e"],"trace_user_id":"user-99","generation_name":"checkout-summary"}}
            """);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        var callId = response.Headers.GetValues("x-litellm-call-id").Single();
        var cost = decimal.Parse(response.Headers.GetValues("x-litellm-response-cost").Single(), NumberStyles.Float, CultureInfo.InvariantCulture);
        using var answer = JsonDocument.Parse(body);
        var usage = answer.RootElement.GetProperty("usage");
        var (prompt, completion, total) = (usage.GetProperty("prompt_tokens").GetInt64(), usage.GetProperty("completion_tokens").GetInt64(), usage.GetProperty("total_tokens").GetInt64());
        Assert.True(cost > 0 && prompt > 0 && completion > 0, $"the priced mock answered cost {cost}, usage {usage}");

        // The trace and its generation are separate events (possibly on different writer shards): wait for both.
        var trace = await c.WaitForTraceAsync(callId, ReadTimeout, t => t.GetProperty("observations").GetArrayLength() > 0);

        Assert.Equal(callId, trace.GetProperty("id").GetString());
        Assert.Equal(TracingCluster.ProjectId, trace.GetProperty("projectId").GetString());
        Assert.Equal("litellm-acompletion", trace.GetProperty("name").GetString());
        Assert.Equal("session-42", trace.GetProperty("sessionId").GetString());
        Assert.Equal("user-99", trace.GetProperty("userId").GetString());
        Assert.Equal(["e2e", "prod"], trace.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal));
        Assert.True(trace.GetProperty("latency").GetDouble() > 0, $"trace latency {trace.GetProperty("latency")}");
        Assert.Equal(cost, trace.GetProperty("totalCost").GetDecimal());
        Assert.Contains("trace this request end to end", trace.GetProperty("input").GetRawText());

        var observations = trace.GetProperty("observations").EnumerateArray().ToList();
        var generation = Assert.Single(observations);
        Assert.Equal("GENERATION", generation.GetProperty("type").GetString());
        Assert.Equal(callId, generation.GetProperty("id").GetString());
        Assert.Equal(callId, generation.GetProperty("traceId").GetString());
        Assert.Equal("checkout-summary", generation.GetProperty("name").GetString());
        Assert.Equal("priced", generation.GetProperty("model").GetString());
        var usageDetails = generation.GetProperty("usageDetails");
        Assert.Equal((prompt, completion, total),
            (usageDetails.GetProperty("input").GetInt64(), usageDetails.GetProperty("output").GetInt64(), usageDetails.GetProperty("total").GetInt64()));
        Assert.Equal((prompt, completion, total),
            (generation.GetProperty("promptTokens").GetInt64(), generation.GetProperty("completionTokens").GetInt64(), generation.GetProperty("totalTokens").GetInt64()));
        Assert.Equal(cost, generation.GetProperty("calculatedTotalCost").GetDecimal());
        Assert.Equal(cost, generation.GetProperty("costDetails").GetProperty("total").GetDecimal());
        Assert.Equal(0.000001m * prompt, generation.GetProperty("costDetails").GetProperty("input").GetDecimal());
        Assert.Equal(0.000002m * completion, generation.GetProperty("costDetails").GetProperty("output").GetDecimal());
        Assert.True(generation.GetProperty("latency").GetDouble() > 0, $"generation latency {generation.GetProperty("latency")}");
        Assert.Contains("\"role\"", generation.GetProperty("output").GetRawText());
        // HotDash's own fields travel in the generation's metadata, as LiteLLM's proxy adds them.
        var metadata = generation.GetProperty("metadata");
        Assert.Equal("tracing-key", Text(metadata, "user_api_key_alias"));
        Assert.Equal(teamId, Text(metadata, "user_api_key_team_id"));
        Assert.Equal(callId, Text(metadata, "litellm_call_id"));
        Assert.Equal("priced-mock", Text(metadata, "model_group"));
        Assert.Equal("priced-mock-1", Text(metadata, "model_id"));
        Assert.Equal(cost, decimal.Parse(Text(metadata, "litellm_response_cost")!, NumberStyles.Float, CultureInfo.InvariantCulture));
        Assert.DoesNotContain(apiKey, trace.GetRawText());
        // HotDash's own columns, which the public API has no field for, as stored.
        var row = (await clickHouse.QueryAsync(
            $"SELECT team_id, key_alias, end_user, model_group, deployment, cache_hit FROM {c.Database}.observations FINAL WHERE id = '{callId}' FORMAT TabSeparated")).Trim();
        Assert.Equal($"{teamId}\ttracing-key\tend-user-7\tpriced-mock\tpriced-mock-1\t0", row);

        // The raw events are archived: gzip NDJSON under the project's prefix, without credentials.
        var archived = await c.ArchivedObjectsAsync();
        Assert.Contains(archived, o => o.Key.StartsWith(TracingCluster.ArchivePrefix, StringComparison.Ordinal) && o.Key.EndsWith(".ndjson.gz", StringComparison.Ordinal));
        Assert.Contains(archived, o => o.Text.Contains(callId, StringComparison.Ordinal));
        foreach (var (objectKey, text) in archived)
        {
            Assert.False(text.Contains(apiKey, StringComparison.Ordinal), $"{objectKey} holds the virtual key");
            Assert.False(text.Contains(TracingCluster.MasterKey, StringComparison.Ordinal), $"{objectKey} holds the master key");
            Assert.False(text.Contains("sk-", StringComparison.Ordinal), $"{objectKey} holds sk- key text");
            Assert.False(text.Contains("authorization", StringComparison.OrdinalIgnoreCase), $"{objectKey} holds an Authorization header");
            Assert.False(text.Contains("Bearer ", StringComparison.Ordinal), $"{objectKey} holds a bearer token");
        }
    }

    [Fact]
    public async Task ClickHouseStoppedUnderLoad_ThenStarted_EveryEventArrivesExactlyOnce()
    {
        if (_cluster is not { } c)
        {
            return;
        }
        var server = clickHouse.Server!;
        await c.StartAsync();
        var key = await c.ManageAsync("/key/generate", """{"key_alias":"outage-key"}""");
        var apiKey = key.GetProperty("key").GetString()!;

        const int Clients = 4, RequestsPerClient = 75, Batches = 30, IngestionSenders = 3;
        var callIds = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<string>();
        var outage = new TracingOutageWindow();
        var ingestionLatencies = new ConcurrentBag<(int Batch, TimeSpan Sent, TimeSpan Took)>();
        var clock = Stopwatch.StartNew();

        // Paced so the load runs for ~12 s: the outage (after ~3 s, for 6 s) falls in the middle of it.
        var gatewayLoad = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < RequestsPerClient; i++)
            {
                using var response = await c.ChatAsync(apiKey, $$"""{"model":"priced-mock","messages":[{"role":"user","content":"client {{client}} request {{i}}"}]}""");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    callIds.Add(response.Headers.GetValues("x-litellm-call-id").Single());
                    outage.Count(gateway: true);
                }
                else
                {
                    failures.Add($"gateway {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                await Task.Delay(140);
            }
            output.WriteLine($"gateway client {client} done at {clock.Elapsed.TotalSeconds:0.0} s");
        })).ToArray();
        // Batch b goes out at b x 0.4 s, so ingestion spans the outage too. An ingestion call is answered once its events
        // are archived and handed to the writers (up to a flush interval later), so three SDK-like senders share them.
        var ingestionLoad = Enumerable.Range(0, IngestionSenders).Select(sender => Task.Run(async () =>
        {
            for (var b = sender; b < Batches; b += IngestionSenders)
            {
                if (TimeSpan.FromSeconds(0.4 * b) - clock.Elapsed is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait);
                }
                var sent = clock.Elapsed;
                var (status, body) = await c.PublicPostAsync("/api/public/ingestion", IngestionBatch(b));
                ingestionLatencies.Add((b, sent, clock.Elapsed - sent));
                if (status == HttpStatusCode.MultiStatus && SuccessesAndErrors(body) == (10, 0))
                {
                    outage.Count(gateway: false);
                }
                else
                {
                    failures.Add($"ingestion batch {b}: {(int)status} {body}");
                }
            }
            output.WriteLine($"ingestion sender {sender} done at {clock.Elapsed.TotalSeconds:0.0} s");
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(3));
        server.Stop();
        outage.Begin();
        output.WriteLine($"ClickHouse stopped at {clock.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(TimeSpan.FromSeconds(6));
        outage.End();
        await server.StartAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"ClickHouse answering again at {clock.Elapsed.TotalSeconds:0.0} s");
        await Task.WhenAll([.. gatewayLoad, .. ingestionLoad]);
        output.WriteLine($"load done at {clock.Elapsed.TotalSeconds:0.0} s: {outage}");
        var slowest = ingestionLatencies.MaxBy(l => l.Took);
        output.WriteLine($"slowest ingestion call: batch {slowest.Batch}, sent at {slowest.Sent.TotalSeconds:0.0} s, answered in {slowest.Took.TotalMilliseconds:0} ms");

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        Assert.Equal(Clients * RequestsPerClient, callIds.Count);
        Assert.True(outage.GatewayDuring > 0 && outage.IngestionDuring > 0 && outage.GatewayAfter > 0 && outage.IngestionAfter > 0,
            $"the load did not span the outage: {outage}");

        var ids = string.Join(",", callIds.Select(id => $"'{id}'"));
        var db = c.Database;
        const int Traces = Batches * 2, Observations = Batches * 4;
        var project = $"project_id = '{TracingCluster.ProjectId}'";
        long[] gatewayObservations = [], gatewayTraces = [], ingestedObservations = [], ingestedTraces = [];
        await TracingCluster.TryWaitUntilAsync(async () =>
        {
            gatewayObservations = await clickHouse.NumbersAsync($"SELECT count(), uniqExact(id) FROM {db}.observations FINAL WHERE {project} AND id IN ({ids})");
            gatewayTraces = await clickHouse.NumbersAsync($"SELECT count(), uniqExact(id) FROM {db}.traces FINAL WHERE {project} AND id IN ({ids})");
            ingestedObservations = await clickHouse.NumbersAsync(
                $"SELECT count(), uniqExact(id), countIf(isNotNull(output) AND isNotNull(end_time) AND provided_model_name = 'ingested-model') FROM {db}.observations FINAL WHERE {project} AND id LIKE 'g-{_run}-%'");
            ingestedTraces = await clickHouse.NumbersAsync(
                $"SELECT count(), uniqExact(id), countIf(name = 'ingested-trace' AND user_id = 'ingest-user') FROM {db}.traces FINAL WHERE {project} AND id LIKE 't-{_run}-%'");
            return gatewayObservations[1] >= callIds.Count && gatewayTraces[1] >= callIds.Count
                && ingestedObservations[2] >= Observations && ingestedTraces[1] >= Traces;
        }, TimeSpan.FromSeconds(90));
        // Past the wait or not, the exact counts below say what is missing or doubled.
        var totals = await clickHouse.NumbersAsync($"SELECT count(), uniqExact(id) FROM {db}.observations FINAL WHERE {project}");
        var (pending, pendingLines) = (0d, Array.Empty<string>());
        await TracingCluster.WaitUntilAsync(async () =>
        {
            (pending, pendingLines) = await c.MetricAsync("hotdash_trace_writer_pending_batches");
            return pendingLines.Length > 0 && pending == 0;
        }, TimeSpan.FromSeconds(30), "no pending writer batches");
        var (retries, _) = await c.MetricAsync("hotdash_trace_writer_retries_total");
        output.WriteLine($"recovered at {clock.Elapsed.TotalSeconds:0.0} s; writer retries {retries}");

        Assert.Equal([callIds.Count, callIds.Count], gatewayObservations);
        Assert.Equal([callIds.Count, callIds.Count], gatewayTraces);
        Assert.Equal([Observations, Observations, Observations], ingestedObservations);
        Assert.Equal([Traces, Traces, Traces], ingestedTraces);
        Assert.Equal([callIds.Count + Observations, callIds.Count + Observations], totals);
        Assert.All(pendingLines, l => Assert.EndsWith(" 0", l));
        Assert.True(retries > 0, "the writers never failed a write: the outage did not reach them");
        // What the public API reads back is the merged generation: the create's model and usage, the update's output.
        var sample = await c.WaitForTraceAsync($"t-{_run}-{Batches / 2}-1", ReadTimeout, t => t.GetProperty("observations").GetArrayLength() == 2);
        var generations = sample.GetProperty("observations").EnumerateArray().OrderBy(o => o.GetProperty("id").GetString(), StringComparer.Ordinal).ToList();
        Assert.Equal(2, generations.Count);
        Assert.All(generations, g =>
        {
            Assert.Equal(("ingested-model", 10L, 5L, 15L), (g.GetProperty("model").GetString(), g.GetProperty("usageDetails").GetProperty("input").GetInt64(),
                g.GetProperty("usageDetails").GetProperty("output").GetInt64(), g.GetProperty("usageDetails").GetProperty("total").GetInt64()));
            Assert.Equal(0.25, g.GetProperty("latency").GetDouble(), 3);
        });
        Assert.Equal(["answer 0", "answer 1"], generations.Select(g => g.GetProperty("output").GetProperty("a").GetString()));
    }

    [Fact]
    public async Task MalformedIngestionBatch_GetsPerEventErrors_AndNothingElseBreaks()
    {
        if (_cluster is not { } c)
        {
            return;
        }
        await c.StartAsync();
        var traceId = $"good-trace-{_run}";
        var observationId = $"good-generation-{_run}";
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var batch = $$$"""
            {"batch":[
              {"id":"ev-good-trace","timestamp":"{{{now}}}","type":"trace-create","body":{"id":"{{{traceId}}}","name":"good-trace","userId":"u-1"}},
              {"id":"ev-good-generation","timestamp":"{{{now}}}","type":"generation-create","body":{"id":"{{{observationId}}}","traceId":"{{{traceId}}}","name":"good-generation","model":"m-1","startTime":"{{{now}}}","usage":{"input":3,"output":4} } },
              {"id":"ev-unknown-type","timestamp":"{{{now}}}","type":"not-an-event","body":{"id":"x"}},
              {"timestamp":"{{{now}}}","type":"trace-create","body":{"id":"no-envelope-id"}},
              {"id":"ev-name-number","timestamp":"{{{now}}}","type":"trace-create","body":{"id":"bad-trace-{{{_run}}}","name":123}},
              {"id":"ev-body-string","timestamp":"{{{now}}}","type":"span-create","body":"not an object"},
              {"id":"ev-update-without-id","timestamp":"{{{now}}}","type":"generation-update","body":{"traceId":"{{{traceId}}}","output":"x"}},
              {"id":"ev-bad-level","timestamp":"{{{now}}}","type":"span-create","body":{"id":"bad-span-{{{_run}}}","traceId":"{{{traceId}}}","level":"LOUD"}},
              {"id":"ev-bad-timestamp","timestamp":"yesterday","type":"trace-create","body":{"id":"bad-ts-{{{_run}}}"}}
            ]}
            """;

        var (status, body) = await c.PublicPostAsync("/api/public/ingestion", batch);

        Assert.True(status == HttpStatusCode.MultiStatus, $"{(int)status} {body}");
        using var json = JsonDocument.Parse(body);
        var successes = json.RootElement.GetProperty("successes").EnumerateArray()
            .Select(s => (s.GetProperty("id").GetString(), s.GetProperty("status").GetInt32())).Order().ToList();
        var errors = json.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("id").GetString(), e.GetProperty("status").GetInt32())).Order().ToList();
        Assert.Equal([("ev-good-generation", 201), ("ev-good-trace", 201)], successes);
        Assert.Equal(
            [("ev-bad-level", 400), ("ev-bad-timestamp", 400), ("ev-body-string", 400), ("ev-name-number", 400),
             ("ev-unknown-type", 400), ("ev-update-without-id", 400), ("unknown", 400)],
            errors);

        var trace = await c.WaitForTraceAsync(traceId, ReadTimeout, t => t.GetProperty("observations").GetArrayLength() == 1);
        Assert.Equal(("good-trace", "u-1"), (trace.GetProperty("name").GetString(), trace.GetProperty("userId").GetString()));
        var generation = trace.GetProperty("observations")[0];
        Assert.Equal((observationId, "GENERATION", "m-1"),
            (generation.GetProperty("id").GetString(), generation.GetProperty("type").GetString(), generation.GetProperty("model").GetString()));
        Assert.Equal((3L, 4L, 7L), (generation.GetProperty("usageDetails").GetProperty("input").GetInt64(),
            generation.GetProperty("usageDetails").GetProperty("output").GetInt64(), generation.GetProperty("usageDetails").GetProperty("total").GetInt64()));
        // Nothing of a refused event was stored.
        foreach (var refused in new[] { $"bad-trace-{_run}", $"bad-ts-{_run}" })
        {
            using var missing = await c.PublicGetAsync($"/api/public/traces/{refused}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        using (var missingSpan = await c.PublicGetAsync($"/api/public/observations/bad-span-{_run}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missingSpan.StatusCode);
        }

        // Not JSON at all, or no batch array: the whole request is a 400.
        var notJson = await c.PublicPostAsync("/api/public/ingestion", "this is {not json");
        Assert.True(notJson.Status == HttpStatusCode.BadRequest, $"{(int)notJson.Status} {notJson.Body}");
        var noBatch = await c.PublicPostAsync("/api/public/ingestion", """{"batch":"nope"}""");
        Assert.True(noBatch.Status == HttpStatusCode.BadRequest, $"{(int)noBatch.Status} {noBatch.Body}");

        // The pipeline still takes gateway traffic afterwards.
        using var response = await c.ChatAsync(TracingCluster.MasterKey, """{"model":"priced-mock","messages":[{"role":"user","content":"still traced"}]}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var callId = response.Headers.GetValues("x-litellm-call-id").Single();
        var gatewayTrace = await c.WaitForTraceAsync(callId, ReadTimeout, t => t.GetProperty("observations").GetArrayLength() == 1);
        Assert.Equal("GENERATION", gatewayTrace.GetProperty("observations")[0].GetProperty("type").GetString());
        Assert.Contains("still traced", gatewayTrace.GetProperty("input").GetRawText());
    }

    // Batch b: two traces, each with two generations created and then updated (output and end time), ten events.
    private string IngestionBatch(int b)
    {
        var start = DateTime.UtcNow;
        string Time(double seconds) => start.AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var events = new List<string>();
        for (var t = 0; t < 2; t++)
        {
            var traceId = $"t-{_run}-{b}-{t}";
            events.Add($$$"""{"id":"e-{{{_run}}}-{{{b}}}-{{{t}}}-trace","timestamp":"{{{Time(0)}}}","type":"trace-create","body":{"id":"{{{traceId}}}","name":"ingested-trace","userId":"ingest-user","timestamp":"{{{Time(0)}}}"}}""");
            for (var g = 0; g < 2; g++)
            {
                var id = $"g-{_run}-{b}-{t}-{g}";
                events.Add($$$"""{"id":"e-{{{_run}}}-{{{b}}}-{{{t}}}-{{{g}}}-create","timestamp":"{{{Time(0.001)}}}","type":"generation-create","body":{"id":"{{{id}}}","traceId":"{{{traceId}}}","name":"ingested-generation","model":"ingested-model","startTime":"{{{Time(0)}}}","input":{"q":"question {{{g}}}"},"usage":{"input":10,"output":5} } }""");
                events.Add($$$"""{"id":"e-{{{_run}}}-{{{b}}}-{{{t}}}-{{{g}}}-update","timestamp":"{{{Time(0.002)}}}","type":"generation-update","body":{"id":"{{{id}}}","traceId":"{{{traceId}}}","endTime":"{{{Time(0.25)}}}","output":{"a":"answer {{{g}}}"} } }""");
            }
        }
        return $$$"""{"batch":[{{{string.Join(",", events)}}}]}""";
    }

    private static (int Successes, int Errors) SuccessesAndErrors(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return (json.RootElement.GetProperty("successes").GetArrayLength(), json.RootElement.GetProperty("errors").GetArrayLength());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (-1, -1);
        }
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;

    public async Task InitializeAsync() => _cluster = await TracingCluster.CreateAsync(output, clickHouse);

    public async Task DisposeAsync()
    {
        // A failed outage test must not leave the class's ClickHouse down for the next test.
        if (clickHouse.Server is { } server)
        {
            await server.StartAsync(TimeSpan.FromSeconds(30));
        }
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
