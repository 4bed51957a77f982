using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace HotDash.Dashboard.Tests.PublicApi;

[Collection(PublicApiCollection.Name)]
public sealed class OtelEndpointTests(PublicApiFixture fixture)
{
    [Fact]
    public async Task OtlpJson_GenerationSpan_Answers200EmptyJsonAndLandsAsAGeneration()
    {
        using var client = fixture.Client();
        var (traceId, spanId) = (Hex(16), Hex(8));
        var start = DateTimeOffset.UtcNow.AddSeconds(-3);
        var export = new JsonObject
        {
            ["resourceSpans"] = new JsonArray(new JsonObject
            {
                ["resource"] = new JsonObject { ["attributes"] = new JsonArray(Attribute("service.name", "otel-test")) },
                ["scopeSpans"] = new JsonArray(new JsonObject
                {
                    ["scope"] = new JsonObject { ["name"] = "hotdash-tests" },
                    ["spans"] = new JsonArray(new JsonObject
                    {
                        ["traceId"] = traceId,
                        ["spanId"] = spanId,
                        ["name"] = "otel-generation",
                        ["kind"] = 1,
                        ["startTimeUnixNano"] = Nanos(start),
                        ["endTimeUnixNano"] = Nanos(start.AddMilliseconds(400)),
                        ["attributes"] = new JsonArray(
                            Attribute("langfuse.observation.type", "generation"),
                            Attribute("langfuse.observation.model.name", "otel-model"),
                            Attribute("langfuse.observation.usage_details", "{\"input\":3,\"output\":5,\"total\":8}"),
                            Attribute("langfuse.trace.name", "otel-trace")),
                    }),
                }),
            }),
        };

        using var response = await client.PostAsync("/api/public/otel/v1/traces", new StringContent(export.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        var observations = await LangfuseBatch.PollAsync(client, $"/api/public/observations?traceId={traceId}",
            j => j.GetProperty("data").GetArrayLength() == 1);
        var generation = observations.GetProperty("data")[0];
        Assert.Equal(spanId, generation.GetProperty("id").GetString());
        Assert.Equal("GENERATION", generation.GetProperty("type").GetString());
        Assert.Equal("otel-model", generation.GetProperty("model").GetString());
        Assert.Equal(8, generation.GetProperty("usage").GetProperty("total").GetInt64());
        Assert.Equal(0.4, generation.GetProperty("latency").GetDouble(), 3);
    }

    [Fact]
    public async Task OtlpProtobufGzip_Span_Answers200EmptyProtobufAndIsStored()
    {
        using var client = fixture.Client();
        var traceId = RandomBytes(16);
        var spanId = RandomBytes(8);
        var start = DateTimeOffset.UtcNow.AddSeconds(-2);
        var span = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(traceId));
            w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(spanId));
            w.WriteTag(5, WireFormat.WireType.LengthDelimited); w.WriteString("proto-span");
            w.WriteTag(7, WireFormat.WireType.Fixed64); w.WriteFixed64(ulong.Parse(Nanos(start), CultureInfo.InvariantCulture));
            w.WriteTag(8, WireFormat.WireType.Fixed64); w.WriteFixed64(ulong.Parse(Nanos(start.AddMilliseconds(100)), CultureInfo.InvariantCulture));
        });
        var scopeSpans = Message(w => { w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(span)); });
        var resourceSpans = Message(w => { w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(scopeSpans)); });
        var request = Message(w => { w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(resourceSpans)); });
        using var packed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(request);
        }
        using var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await client.PostAsync("/api/public/otel/v1/traces", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var observation = await LangfuseBatch.PollAsync(client, $"/api/public/observations/{Convert.ToHexStringLower(spanId)}", _ => true);
        Assert.Equal("proto-span", observation.GetProperty("name").GetString());
        Assert.Equal(Convert.ToHexStringLower(traceId), observation.GetProperty("traceId").GetString());
    }

    [Theory]
    [InlineData("application/json", "{not json")]
    [InlineData("text/plain", "{}")]
    public async Task Otlp_UnreadableExport_Answers400(string contentType, string body)
    {
        using var client = fixture.Client();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await client.PostAsync("/api/public/otel/v1/traces", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Otlp_WrongSecret_Answers401()
    {
        using var client = fixture.Client(PublicApiFixture.PublicKey, "sk-lf-nope");

        using var response = await client.PostAsync("/api/public/otel/v1/traces", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static JsonObject Attribute(string key, string value) =>
        new() { ["key"] = key, ["value"] = new JsonObject { ["stringValue"] = value } };

    private static string Nanos(DateTimeOffset at) => (at.ToUnixTimeMilliseconds() * 1_000_000L).ToString(CultureInfo.InvariantCulture);

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomBytes(bytes));

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }
}
