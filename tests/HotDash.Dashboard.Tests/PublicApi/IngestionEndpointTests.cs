using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDash.Grains;

namespace HotDash.Dashboard.Tests.PublicApi;

[Collection(PublicApiCollection.Name)]
public sealed class IngestionEndpointTests(PublicApiFixture fixture)
{
    [Fact]
    public async Task Ingestion_MixedGoodAndBadEvents_Answers207AndStoresTheGoodOnes()
    {
        using var client = fixture.Client();
        var traceId = LangfuseBatch.NewId();
        var spanId = LangfuseBatch.NewId();
        var generationId = LangfuseBatch.NewId();
        var scoreId = LangfuseBatch.NewId();
        var start = DateTimeOffset.UtcNow.AddSeconds(-5);
        var trace = LangfuseBatch.Event(TraceEventTypes.TraceCreate, new JsonObject
        {
            ["id"] = traceId,
            ["name"] = "checkout",
            ["userId"] = "user-mixed",
            ["sessionId"] = "session-mixed",
            ["release"] = "r1",
            ["version"] = "v1",
            ["tags"] = new JsonArray("a", "b"),
            ["input"] = new JsonObject { ["question"] = "why?" },
            ["output"] = "because",
            ["metadata"] = new JsonObject { ["plan"] = "pro", ["limits"] = new JsonObject { ["rpm"] = 10 } },
            ["public"] = true,
            ["timestamp"] = LangfuseBatch.Iso(start),
        }, start);
        var span = LangfuseBatch.Event(TraceEventTypes.SpanCreate, new JsonObject
        {
            ["id"] = spanId,
            ["traceId"] = traceId,
            ["name"] = "retrieve",
            ["startTime"] = LangfuseBatch.Iso(start),
            ["endTime"] = LangfuseBatch.Iso(start.AddMilliseconds(250)),
        });
        var generation = LangfuseBatch.Event(TraceEventTypes.GenerationCreate, new JsonObject
        {
            ["id"] = generationId,
            ["traceId"] = traceId,
            ["parentObservationId"] = spanId,
            ["name"] = "answer",
            ["model"] = "gpt-4o-mini",
            ["modelParameters"] = new JsonObject { ["temperature"] = 0.2 },
            ["startTime"] = LangfuseBatch.Iso(start.AddMilliseconds(300)),
            ["completionStartTime"] = LangfuseBatch.Iso(start.AddMilliseconds(800)),
            ["endTime"] = LangfuseBatch.Iso(start.AddMilliseconds(1300)),
            ["usageDetails"] = new JsonObject { ["input"] = 10, ["output"] = 20, ["total"] = 30 },
            ["costDetails"] = new JsonObject { ["input"] = 0.001, ["output"] = 0.002, ["total"] = 0.003 },
            ["input"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            ["output"] = new JsonObject { ["role"] = "assistant", ["content"] = "hello" },
        });
        var score = LangfuseBatch.Event(TraceEventTypes.ScoreCreate, new JsonObject
        {
            ["id"] = scoreId,
            ["traceId"] = traceId,
            ["name"] = "quality",
            ["value"] = 0.9,
            ["comment"] = "good",
        });
        var badType = LangfuseBatch.Event("not-a-type", new JsonObject { ["id"] = LangfuseBatch.NewId() });
        var badBody = LangfuseBatch.Event(TraceEventTypes.TraceCreate, new JsonObject { ["id"] = LangfuseBatch.NewId(), ["name"] = 42 });

        using var response = await client.PostAsync("/api/public/ingestion", LangfuseBatch.Content(trace, span, generation, score, badType, badBody));
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var successes = json.GetProperty("successes").EnumerateArray().Select(s => (s.GetProperty("id").GetString(), s.GetProperty("status").GetInt32())).ToList();
        Assert.Equal(4, successes.Count);
        Assert.All(successes, s => Assert.Equal(201, s.Item2));
        Assert.Contains((trace["id"]!.GetValue<string>(), 201), successes);
        var errors = json.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e =>
        {
            Assert.Equal(400, e.GetProperty("status").GetInt32());
            Assert.Equal("Invalid request data", e.GetProperty("message").GetString());
            Assert.False(string.IsNullOrEmpty(e.GetProperty("error").GetString()));
        });
        Assert.Contains(errors, e => e.GetProperty("id").GetString() == badBody["id"]!.GetValue<string>());

        var stored = await LangfuseBatch.PollTraceAsync(client, traceId, t => t.GetProperty("observations").GetArrayLength() == 2 && t.GetProperty("scores").GetArrayLength() == 1);
        Assert.Equal("checkout", stored.GetProperty("name").GetString());
        Assert.Equal("user-mixed", stored.GetProperty("userId").GetString());
        Assert.Equal("session-mixed", stored.GetProperty("sessionId").GetString());
        Assert.Equal("r1", stored.GetProperty("release").GetString());
        Assert.Equal("v1", stored.GetProperty("version").GetString());
        Assert.True(stored.GetProperty("public").GetBoolean());
        Assert.Equal("default", stored.GetProperty("environment").GetString());
        Assert.Equal(LangfuseBatch.Iso(start), stored.GetProperty("timestamp").GetString());
        Assert.Equal(["a", "b"], stored.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        Assert.Equal("why?", stored.GetProperty("input").GetProperty("question").GetString());
        Assert.Equal("because", stored.GetProperty("output").GetString());
        Assert.Equal("pro", stored.GetProperty("metadata").GetProperty("plan").GetString());
        // Non-string metadata values are stored as JSON text and come back as JSON.
        Assert.Equal(10, stored.GetProperty("metadata").GetProperty("limits").GetProperty("rpm").GetInt32());
        Assert.Equal($"/project/{fixture.ProjectId}/traces/{traceId}", stored.GetProperty("htmlPath").GetString());
        Assert.Equal(1.3, stored.GetProperty("latency").GetDouble(), 3);
        Assert.Equal(0.003m, stored.GetProperty("totalCost").GetDecimal());

        var observations = stored.GetProperty("observations").EnumerateArray().ToDictionary(o => o.GetProperty("id").GetString()!);
        var gen = observations[generationId];
        Assert.Equal("GENERATION", gen.GetProperty("type").GetString());
        Assert.Equal(traceId, gen.GetProperty("traceId").GetString());
        Assert.Equal(spanId, gen.GetProperty("parentObservationId").GetString());
        Assert.Equal("gpt-4o-mini", gen.GetProperty("model").GetString());
        Assert.Equal(0.2, gen.GetProperty("modelParameters").GetProperty("temperature").GetDouble());
        Assert.Equal(10, gen.GetProperty("promptTokens").GetInt64());
        Assert.Equal(20, gen.GetProperty("completionTokens").GetInt64());
        Assert.Equal(30, gen.GetProperty("totalTokens").GetInt64());
        Assert.Equal("TOKENS", gen.GetProperty("usage").GetProperty("unit").GetString());
        Assert.Equal(30, gen.GetProperty("usage").GetProperty("total").GetInt64());
        Assert.Equal(20, gen.GetProperty("usageDetails").GetProperty("output").GetInt64());
        Assert.Equal(0.003m, gen.GetProperty("calculatedTotalCost").GetDecimal());
        Assert.Equal(0.001m, gen.GetProperty("calculatedInputCost").GetDecimal());
        Assert.Equal(1.0, gen.GetProperty("latency").GetDouble(), 3);
        Assert.Equal(0.5, gen.GetProperty("timeToFirstToken").GetDouble(), 3);
        Assert.Equal("hi", gen.GetProperty("input")[0].GetProperty("content").GetString());
        Assert.Equal(LangfuseBatch.Iso(start.AddMilliseconds(800)), gen.GetProperty("completionStartTime").GetString());
        Assert.Equal("SPAN", observations[spanId].GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, observations[spanId].GetProperty("parentObservationId").ValueKind);

        var storedScore = Assert.Single(stored.GetProperty("scores").EnumerateArray());
        Assert.Equal(scoreId, storedScore.GetProperty("id").GetString());
        Assert.Equal(0.9, storedScore.GetProperty("value").GetDouble());
        Assert.Equal("NUMERIC", storedScore.GetProperty("dataType").GetString());
        Assert.Equal("API", storedScore.GetProperty("source").GetString());
        Assert.Equal("good", storedScore.GetProperty("comment").GetString());
    }

    [Fact]
    public async Task Ingestion_NotABatch_Answers400()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsync("/api/public/ingestion", new StringContent("{\"events\":[]}", Encoding.UTF8, "application/json"));
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid request data", json.GetProperty("message").GetString());
        Assert.True(json.GetProperty("errors").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Ingestion_EmptyBatch_Answers207WithNothing()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsync("/api/public/ingestion", LangfuseBatch.Content());
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        Assert.Equal(0, json.GetProperty("successes").GetArrayLength());
        Assert.Equal(0, json.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task Ingestion_BodyOver45Megabytes_Answers413()
    {
        using var client = fixture.Client();
        var big = new string('x', 4_800_000);
        var body = LangfuseBatch.Content(LangfuseBatch.Event(TraceEventTypes.TraceCreate, new JsonObject { ["id"] = LangfuseBatch.NewId(), ["input"] = big }));

        using var response = await client.PostAsync("/api/public/ingestion", body);
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PayloadTooLargeError", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Ingestion_GzipBody_IsDecompressed()
    {
        using var client = fixture.Client();
        var traceId = LangfuseBatch.NewId();
        var batch = await LangfuseBatch.Content(LangfuseBatch.Event(TraceEventTypes.TraceCreate, new JsonObject { ["id"] = traceId, ["name"] = "zipped" })).ReadAsByteArrayAsync();
        using var packed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(batch);
        }
        using var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await client.PostAsync("/api/public/ingestion", content);

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var stored = await LangfuseBatch.PollTraceAsync(client, traceId);
        Assert.Equal("zipped", stored.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Scores_Post_StoresTheScoreAndAnswersItsId()
    {
        using var client = fixture.Client();
        var traceId = LangfuseBatch.NewId();
        var body = new JsonObject { ["traceId"] = traceId, ["name"] = "helpful", ["value"] = "yes", ["dataType"] = "CATEGORICAL" };

        using var response = await client.PostAsync("/api/public/scores", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var json = await LangfuseBatch.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = json.GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        var stored = await LangfuseBatch.PollAsync(client, $"/api/public/scores/{id}", _ => true);
        Assert.Equal("CATEGORICAL", stored.GetProperty("dataType").GetString());
        Assert.Equal("yes", stored.GetProperty("stringValue").GetString());
        Assert.Equal(traceId, stored.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Scores_PostInvalid_Answers400()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsync("/api/public/scores", new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await LangfuseBatch.JsonAsync(response)).GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Ingestion_OtherProjectsKey_DoesNotSeeTheTrace()
    {
        using var client = fixture.Client();
        using var other = fixture.Client(PublicApiFixture.OtherPublicKey, PublicApiFixture.OtherSecretKey);
        var traceId = LangfuseBatch.NewId();

        using var response = await client.PostAsync("/api/public/ingestion",
            LangfuseBatch.Content(LangfuseBatch.Event(TraceEventTypes.TraceCreate, new JsonObject { ["id"] = traceId, ["name"] = "mine" })));
        await LangfuseBatch.PollTraceAsync(client, traceId);
        using var seen = await other.GetAsync($"/api/public/traces/{traceId}");

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, seen.StatusCode);
        Assert.Equal("LangfuseNotFoundError", (await LangfuseBatch.JsonAsync(seen)).GetProperty("error").GetString());
    }
}
