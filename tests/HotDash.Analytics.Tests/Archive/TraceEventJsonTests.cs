using System.Collections.Immutable;
using System.IO.Compression;
using HotDash.Analytics.Archive;
using HotDash.Grains;
using static HotDash.Analytics.Tests.Merge.MergeData;

namespace HotDash.Analytics.Tests.Archive;

public sealed class TraceEventJsonTests
{
    private static readonly TraceEvent[] Events =
    [
        TraceEvent("e1", 1_767_225_600_000, new TraceRecord("t1")
        {
            TimestampMs = 1_767_225_600_000,
            Name = "chat \"quoted\"\nnew line ünïcødé 🚀",
            Tags = ["a", "b"],
            Public = true,
            Metadata = Map(("k", "v"), ("json", "{\"x\":1}")),
            Input = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\\n\"}]}",
        }),
        ObservationEvent("e2", 1_767_225_600_001, TraceEventTypes.GenerationCreate, new ObservationRecord("g1")
        {
            TraceId = "t1",
            StartTimeMs = 1,
            EndTimeMs = long.MaxValue,
            UsageDetails = Usage(("input", long.MaxValue), ("output", 0)),
            CostDetails = Cost(("input", 0.000123456789m), ("total", 79_228_162_514_264_337_593_543_950_335m)),
            TotalCost = 0.000000000001m,
            PromptVersion = 3,
            CacheHit = false,
        }),
        ScoreEvent("e3", 1_767_225_600_002, new ScoreRecord("c1") { TraceId = "t1", Name = "q", Value = 0.1 + 0.2, StringValue = null }),
        new TraceEvent("e4", 5, TraceEventTypes.SdkLog),
    ];

    [Fact]
    public void Unpack_PackedEvents_RoundTripsEveryField()
    {
        var back = TraceEventJson.Unpack(TraceEventJson.Pack(Events));

        Assert.Equal(Events.Length, back.Length);
        for (var i = 0; i < Events.Length; i++)
        {
            Assert.Equal(Events[i].EventId, back[i].EventId);
            Assert.Equal(Events[i].TimestampMs, back[i].TimestampMs);
            Assert.Equal(Events[i].Type, back[i].Type);
            Assert.Equal(Events[i].ProjectId, back[i].ProjectId);
            Assert.Equal(Events[i].EntityId, back[i].EntityId);
        }
        Assert.Equal(Content(Events[0].Trace!), Content(back[0].Trace!));
        Assert.Equal(Content(Events[1].Observation!), Content(back[1].Observation!));
        Assert.Equal(Content(Events[2].Score!), Content(back[2].Score!));
        Assert.Equal(Events[0].Trace!.Name, back[0].Trace!.Name);
        Assert.Equal<string>(["a", "b"], back[0].Trace!.Tags!.Value);
        Assert.Equal(0.000123456789m, back[1].Observation!.CostDetails!["input"]);
        Assert.Equal(79_228_162_514_264_337_593_543_950_335m, back[1].Observation!.CostDetails!["total"]);
        Assert.Equal(0.000000000001m, back[1].Observation!.TotalCost);
        Assert.Equal(long.MaxValue, back[1].Observation!.UsageDetails!["input"]);
        Assert.Equal(0.1 + 0.2, back[2].Score!.Value);
        Assert.Null(back[3].Trace);
        Assert.Null(back[3].Observation);
        Assert.Null(back[3].Score);
    }

    [Fact]
    public void Pack_Events_IsGzipNdjsonOneCamelCaseObjectPerLine()
    {
        using var gzip = new GZipStream(new MemoryStream(TraceEventJson.Pack(Events)), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var text = reader.ReadToEnd();

        var lines = text.Split('\n');
        Assert.Equal(Events.Length + 1, lines.Length);
        Assert.Equal("", lines[^1]);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("e1", first.RootElement.GetProperty("eventId").GetString());
        Assert.Equal("t1", first.RootElement.GetProperty("trace").GetProperty("id").GetString());
        // Computed properties and unsent (null) fields are not written.
        Assert.False(first.RootElement.TryGetProperty("projectId", out _));
        Assert.False(first.RootElement.TryGetProperty("entityId", out _));
        Assert.False(first.RootElement.GetProperty("trace").TryGetProperty("userId", out _));
    }

    [Fact]
    public void Unpack_NoEvents_IsEmpty()
    {
        Assert.Empty(TraceEventJson.Unpack(TraceEventJson.Pack([])));
    }

    [Fact]
    public void Unpack_NotGzip_Throws()
    {
        Assert.ThrowsAny<InvalidDataException>(() => TraceEventJson.Unpack("{\"eventId\":\"x\"}\n"u8.ToArray()));
    }

    [Fact]
    public void Serialize_OneEvent_IsOneLine()
    {
        var line = TraceEventJson.Serialize(Events[0]);

        Assert.DoesNotContain('\n', line);
        Assert.Equal(Events[0].Trace!.Name, TraceEventJson.Deserialize(Encoding.UTF8.GetBytes(line)).Trace!.Name);
    }
}
