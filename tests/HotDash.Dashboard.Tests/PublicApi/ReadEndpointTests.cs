using System.Text.Json;
using System.Text.Json.Nodes;
using HotDash.Grains;

namespace HotDash.Dashboard.Tests.PublicApi;

[Collection(PublicApiCollection.Name)]
public sealed class ReadEndpointTests(PublicApiFixture fixture)
{
    [Fact]
    public async Task Traces_Paged_AnswersLangfusesMetaAndThePage()
    {
        using var client = fixture.Client();
        var userId = "pager-" + LangfuseBatch.NewId();
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var ids = await IngestTracesAsync(client, userId, 5, start);

        var page = await LangfuseBatch.PollAsync(client, $"/api/public/traces?userId={userId}&limit=2&page=2&orderBy=timestamp.asc",
            j => j.GetProperty("meta").GetProperty("totalItems").GetInt64() == 5);

        var meta = page.GetProperty("meta");
        Assert.Equal(2, meta.GetProperty("page").GetInt32());
        Assert.Equal(2, meta.GetProperty("limit").GetInt32());
        Assert.Equal(5, meta.GetProperty("totalItems").GetInt32());
        Assert.Equal(3, meta.GetProperty("totalPages").GetInt32());
        Assert.Equal([ids[2], ids[3]], page.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var item = page.GetProperty("data")[0];
        Assert.Equal(JsonValueKind.Array, item.GetProperty("observations").ValueKind);
        Assert.Equal(JsonValueKind.Array, item.GetProperty("scores").ValueKind);
        Assert.Equal($"/project/{fixture.ProjectId}/traces/{ids[2]}", item.GetProperty("htmlPath").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("externalId").ValueKind);
    }

    [Fact]
    public async Task Traces_DefaultOrder_NewestFirst()
    {
        using var client = fixture.Client();
        var userId = "order-" + LangfuseBatch.NewId();
        var ids = await IngestTracesAsync(client, userId, 3, DateTimeOffset.UtcNow.AddMinutes(-5));

        var page = await LangfuseBatch.PollAsync(client, $"/api/public/traces?userId={userId}",
            j => j.GetProperty("meta").GetProperty("totalItems").GetInt64() == 3);

        Assert.Equal([ids[2], ids[1], ids[0]], page.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(50, page.GetProperty("meta").GetProperty("limit").GetInt32());
        Assert.Equal(1, page.GetProperty("meta").GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task Traces_Filters_NarrowByNameTagsTimeAndEnvironment()
    {
        using var client = fixture.Client();
        var userId = "filters-" + LangfuseBatch.NewId();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var early = LangfuseBatch.NewId();
        var late = LangfuseBatch.NewId();
        var staging = LangfuseBatch.NewId();
        using (var response = await client.PostAsync("/api/public/ingestion", LangfuseBatch.Content(
            Trace(early, userId, "alpha", start, ["x", "y"]),
            Trace(late, userId, "beta", start.AddMinutes(10), ["x"]),
            Trace(staging, userId, "alpha", start.AddMinutes(20), ["y"], environment: "staging"))))
        {
            Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        }
        await LangfuseBatch.PollAsync(client, $"/api/public/traces?userId={userId}&environment=default&environment=staging",
            j => j.GetProperty("meta").GetProperty("totalItems").GetInt64() == 3);

        Assert.Equal([early], await IdsAsync(client, $"/api/public/traces?userId={userId}&name=alpha&environment=default"));
        Assert.Equal([late, early], await IdsAsync(client, $"/api/public/traces?userId={userId}&tags=x"));
        Assert.Equal([early], await IdsAsync(client, $"/api/public/traces?userId={userId}&tags=x&tags=y"));
        Assert.Equal([late], await IdsAsync(client,
            $"/api/public/traces?userId={userId}&fromTimestamp={LangfuseBatch.Iso(start.AddMinutes(5))}&toTimestamp={LangfuseBatch.Iso(start.AddMinutes(15))}"));
        Assert.Equal([staging], await IdsAsync(client, $"/api/public/traces?userId={userId}&environment=staging"));
    }

    [Theory]
    [InlineData("/api/public/traces?limit=0")]
    [InlineData("/api/public/traces?limit=101")]
    [InlineData("/api/public/traces?page=0")]
    [InlineData("/api/public/traces?page=abc")]
    [InlineData("/api/public/traces?fromTimestamp=yesterday")]
    [InlineData("/api/public/traces?toTimestamp=2024-01-01")]
    [InlineData("/api/public/traces?orderBy=timestamp")]
    [InlineData("/api/public/traces?orderBy=cost.asc")]
    [InlineData("/api/public/traces?userId=a&userId=b")]
    [InlineData("/api/public/observations?type=BANANA")]
    [InlineData("/api/public/observations?level=LOUD")]
    [InlineData("/api/public/scores?operator=~")]
    [InlineData("/api/public/scores?value=high")]
    [InlineData("/api/public/v2/scores?dataType=FLOAT")]
    [InlineData("/api/public/sessions?limit=1000")]
    [InlineData("/api/public/metrics/daily?fromTimestamp=now")]
    public async Task Get_InvalidQueryParameter_Answers400InvalidRequestError(string path)
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync(path);
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidRequestError", json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("/api/public/traces/no-such-trace")]
    [InlineData("/api/public/observations/no-such-observation")]
    [InlineData("/api/public/scores/no-such-score")]
    [InlineData("/api/public/v2/scores/no-such-score")]
    [InlineData("/api/public/sessions/no-such-session")]
    public async Task Get_UnknownId_Answers404(string path)
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync(path);
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("LangfuseNotFoundError", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Observations_FilteredByTraceAndType_ListsTheGenerationsWithDetailById()
    {
        using var client = fixture.Client();
        var traceId = LangfuseBatch.NewId();
        var generationId = LangfuseBatch.NewId();
        var eventId = LangfuseBatch.NewId();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        using (var response = await client.PostAsync("/api/public/ingestion", LangfuseBatch.Content(
            Trace(traceId, "obs-user", "obs", at, []),
            LangfuseBatch.Event(TraceEventTypes.GenerationCreate, new JsonObject
            {
                ["id"] = generationId, ["traceId"] = traceId, ["name"] = "llm", ["startTime"] = LangfuseBatch.Iso(at),
                ["level"] = "WARNING", ["statusMessage"] = "slow", ["usage"] = new JsonObject { ["input"] = 3, ["output"] = 4 },
            }),
            LangfuseBatch.Event(TraceEventTypes.EventCreate, new JsonObject
            {
                ["id"] = eventId, ["traceId"] = traceId, ["name"] = "clicked", ["startTime"] = LangfuseBatch.Iso(at.AddSeconds(1)),
            }))))
        {
            Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        }

        var all = await LangfuseBatch.PollAsync(client, $"/api/public/observations?traceId={traceId}",
            j => j.GetProperty("meta").GetProperty("totalItems").GetInt64() == 2);
        var generations = await LangfuseBatch.JsonAsync(await client.GetAsync($"/api/public/observations?traceId={traceId}&type=GENERATION"));
        var byLevel = await LangfuseBatch.JsonAsync(await client.GetAsync($"/api/public/observations?traceId={traceId}&level=WARNING"));
        var single = await LangfuseBatch.JsonAsync(await client.GetAsync($"/api/public/observations/{generationId}"));

        Assert.Equal(2, all.GetProperty("data").GetArrayLength());
        var generation = Assert.Single(generations.GetProperty("data").EnumerateArray());
        Assert.Equal(generationId, generation.GetProperty("id").GetString());
        Assert.Equal(generationId, Assert.Single(byLevel.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("llm", single.GetProperty("name").GetString());
        Assert.Equal("WARNING", single.GetProperty("level").GetString());
        Assert.Equal("slow", single.GetProperty("statusMessage").GetString());
        Assert.Equal(3, single.GetProperty("usage").GetProperty("input").GetInt64());
        Assert.Equal(4, single.GetProperty("usage").GetProperty("output").GetInt64());
        Assert.Equal(fixture.ProjectId, single.GetProperty("projectId").GetString());
        Assert.Equal(JsonValueKind.Null, single.GetProperty("modelId").ValueKind);
        Assert.Equal(JsonValueKind.Null, single.GetProperty("endTime").ValueKind);
        Assert.Equal(JsonValueKind.Null, single.GetProperty("latency").ValueKind);
    }

    [Fact]
    public async Task Scores_Lists_AnswerV1AndV2ShapesWithTheScoredTrace()
    {
        using var client = fixture.Client();
        var traceId = LangfuseBatch.NewId();
        var sessionId = "score-session-" + LangfuseBatch.NewId();
        var name = "accuracy-" + LangfuseBatch.NewId();
        var at = DateTimeOffset.UtcNow.AddMinutes(-2);
        using (var response = await client.PostAsync("/api/public/ingestion", LangfuseBatch.Content(
            Trace(traceId, "score-user", "scored", at, ["t1"]),
            LangfuseBatch.Event(TraceEventTypes.ScoreCreate, new JsonObject { ["id"] = LangfuseBatch.NewId(), ["traceId"] = traceId, ["name"] = name, ["value"] = 0.25 }),
            LangfuseBatch.Event(TraceEventTypes.ScoreCreate, new JsonObject { ["id"] = LangfuseBatch.NewId(), ["traceId"] = traceId, ["name"] = name, ["value"] = 0.75 }),
            LangfuseBatch.Event(TraceEventTypes.ScoreCreate, new JsonObject { ["id"] = LangfuseBatch.NewId(), ["sessionId"] = sessionId, ["name"] = name, ["value"] = 1 }))))
        {
            Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        }

        var v2 = await LangfuseBatch.PollAsync(client, $"/api/public/v2/scores?name={name}",
            j => j.GetProperty("meta").GetProperty("totalItems").GetInt64() == 3);
        var v1 = await LangfuseBatch.JsonAsync(await client.GetAsync($"/api/public/scores?name={name}"));
        var above = await LangfuseBatch.JsonAsync(await client.GetAsync($"/api/public/v2/scores?name={name}&value=0.5&operator=%3E"));
        var bySession = await LangfuseBatch.JsonAsync(await client.GetAsync($"/api/public/v2/scores?sessionId={sessionId}"));

        // v1 lists trace scores only.
        Assert.Equal(2, v1.GetProperty("data").GetArrayLength());
        var v1Item = v1.GetProperty("data")[0];
        Assert.Equal("score-user", v1Item.GetProperty("trace").GetProperty("userId").GetString());
        Assert.Equal(["t1"], v1Item.GetProperty("trace").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.False(v1Item.TryGetProperty("sessionId", out _));
        Assert.Equal(3, v2.GetProperty("data").GetArrayLength());
        var sessionScore = v2.GetProperty("data").EnumerateArray().Single(s => s.GetProperty("sessionId").ValueKind == JsonValueKind.String);
        Assert.Equal(JsonValueKind.Null, sessionScore.GetProperty("trace").ValueKind);
        Assert.Equal([0.75, 1.0], above.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("value").GetDouble()).Order());
        Assert.Equal(sessionId, Assert.Single(bySession.GetProperty("data").EnumerateArray()).GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task Sessions_ListAndDetail_AnswerTheSessionsTraces()
    {
        using var client = fixture.Client();
        var sessionId = "session-" + LangfuseBatch.NewId();
        var first = LangfuseBatch.NewId();
        var second = LangfuseBatch.NewId();
        var at = DateTimeOffset.UtcNow.AddMinutes(-3);
        using (var response = await client.PostAsync("/api/public/ingestion", LangfuseBatch.Content(
            Trace(first, "session-user", "turn-1", at, [], sessionId: sessionId),
            Trace(second, "session-user", "turn-2", at.AddSeconds(30), [], sessionId: sessionId))))
        {
            Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        }

        var detail = await LangfuseBatch.PollAsync(client, $"/api/public/sessions/{sessionId}", j => j.GetProperty("traces").GetArrayLength() == 2);
        var list = await LangfuseBatch.JsonAsync(await client.GetAsync(
            $"/api/public/sessions?fromTimestamp={LangfuseBatch.Iso(at.AddSeconds(-1))}&toTimestamp={LangfuseBatch.Iso(at.AddSeconds(1))}&limit=100"));

        Assert.Equal(sessionId, detail.GetProperty("id").GetString());
        Assert.Equal(fixture.ProjectId, detail.GetProperty("projectId").GetString());
        Assert.Equal(LangfuseBatch.Iso(at), detail.GetProperty("createdAt").GetString());
        Assert.Equal([first, second], detail.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Contains(list.GetProperty("data").EnumerateArray(), s => s.GetProperty("id").GetString() == sessionId);
    }

    [Fact]
    public async Task MetricsDaily_ForAUser_CountsTracesObservationsAndUsage()
    {
        using var client = fixture.Client();
        var userId = "metrics-" + LangfuseBatch.NewId();
        var traceId = LangfuseBatch.NewId();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        using (var response = await client.PostAsync("/api/public/ingestion", LangfuseBatch.Content(
            Trace(traceId, userId, "metered", at, []),
            LangfuseBatch.Event(TraceEventTypes.GenerationCreate, new JsonObject
            {
                ["id"] = LangfuseBatch.NewId(), ["traceId"] = traceId, ["model"] = "m-1", ["startTime"] = LangfuseBatch.Iso(at),
                ["usageDetails"] = new JsonObject { ["input"] = 5, ["output"] = 7, ["total"] = 12 },
                ["costDetails"] = new JsonObject { ["total"] = 0.5 },
            }))))
        {
            Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        }

        var metrics = await LangfuseBatch.PollAsync(client, $"/api/public/metrics/daily?userId={userId}",
            j => j.GetProperty("data").GetArrayLength() == 1 && j.GetProperty("data")[0].GetProperty("countObservations").GetInt64() == 1);

        var day = metrics.GetProperty("data")[0];
        Assert.Equal(at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), day.GetProperty("date").GetString());
        Assert.Equal(1, day.GetProperty("countTraces").GetInt64());
        Assert.Equal(0.5m, day.GetProperty("totalCost").GetDecimal());
        var usage = Assert.Single(day.GetProperty("usage").EnumerateArray());
        Assert.Equal("m-1", usage.GetProperty("model").GetString());
        Assert.Equal(5, usage.GetProperty("inputUsage").GetInt64());
        Assert.Equal(7, usage.GetProperty("outputUsage").GetInt64());
        Assert.Equal(12, usage.GetProperty("totalUsage").GetInt64());
        Assert.Equal(1, metrics.GetProperty("meta").GetProperty("totalItems").GetInt64());
    }

    private static JsonObject Trace(string id, string userId, string name, DateTimeOffset at, string[] tags, string? environment = null, string? sessionId = null)
    {
        var body = new JsonObject
        {
            ["id"] = id,
            ["userId"] = userId,
            ["name"] = name,
            ["timestamp"] = LangfuseBatch.Iso(at),
            ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)t)]),
        };
        if (environment is not null)
        {
            body["environment"] = environment;
        }
        if (sessionId is not null)
        {
            body["sessionId"] = sessionId;
        }
        return LangfuseBatch.Event(TraceEventTypes.TraceCreate, body, at);
    }

    private static async Task<List<string>> IngestTracesAsync(HttpClient client, string userId, int count, DateTimeOffset start)
    {
        var ids = Enumerable.Range(0, count).Select(_ => LangfuseBatch.NewId()).ToList();
        using var response = await client.PostAsync("/api/public/ingestion",
            LangfuseBatch.Content([.. ids.Select((id, i) => (JsonNode)Trace(id, userId, $"trace-{i}", start.AddSeconds(i), []))]));
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        return ids;
    }

    private static async Task<List<string?>> IdsAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await LangfuseBatch.JsonAsync(response);
        return [.. json.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString())];
    }
}
