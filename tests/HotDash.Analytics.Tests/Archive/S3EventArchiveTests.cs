using HotDash.Analytics.Archive;
using HotDash.Grains;
using Minio;
using Minio.DataModel.Args;
using static HotDash.Analytics.Tests.Merge.MergeData;

namespace HotDash.Analytics.Tests.Archive;

/// <summary>The S3 archive against the real S3-compatible store (Swift with s3api) the test script starts.</summary>
public sealed class S3EventArchiveTests(ITestOutputHelper output) : IDisposable
{
    private const string Bucket = "hotdash-test-archive";

    private readonly string _prefix = $"t{Guid.NewGuid():N}/";
    private IMinioClient? _minio;

    public void Dispose() => _minio?.Dispose();

    private S3EventArchive? Archive(string? bucket = null)
    {
        if (TestS3.Endpoint(output) is not { } endpoint)
        {
            return null;
        }
        _minio ??= new MinioClient()
            .WithEndpoint(endpoint.Host, endpoint.Port)
            .WithCredentials(TestS3.AccessKey, TestS3.SecretKey)
            .WithSSL(endpoint.Scheme == Uri.UriSchemeHttps)
            .WithRegion(TestS3.Region)
            .Build();
        return new S3EventArchive(_minio, bucket ?? Bucket, _prefix);
    }

    [Fact]
    public async Task GetAsync_AfterPutOfAPackedBatch_ReturnsTheSameEvents()
    {
        if (Archive() is not { } archive)
        {
            return;
        }
        await archive.EnsureAsync();
        var key = archive.KeyFor("proj", DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N"));
        TraceEvent[] events =
        [
            TraceEvent("e1", 1, new TraceRecord("t1") { Name = "ünïcødé \n" }),
            ObservationEvent("e2", 2, TraceEventTypes.GenerationCreate, new ObservationRecord("g1") { TraceId = "t1", TotalCost = 0.000123456789m }),
        ];

        await archive.PutAsync(key, TraceEventJson.Pack(events));
        var back = TraceEventJson.Unpack(await archive.GetAsync(key) ?? throw new Xunit.Sdk.XunitException("object missing"));

        Assert.StartsWith(_prefix + "proj/", key);
        Assert.Equal("s3", archive.Kind);
        Assert.Equal(["e1", "e2"], back.Select(e => e.EventId));
        Assert.Equal("ünïcødé \n", back[0].Trace!.Name);
        Assert.Equal(0.000123456789m, back[1].Observation!.TotalCost);
    }

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsNull()
    {
        if (Archive() is not { } archive)
        {
            return;
        }
        await archive.EnsureAsync();

        Assert.Null(await archive.GetAsync(_prefix + "none.ndjson.gz"));
    }

    [Fact]
    public async Task PutAsync_SameKeyTwice_Overwrites()
    {
        if (Archive() is not { } archive)
        {
            return;
        }
        await archive.EnsureAsync();
        var key = archive.KeyFor("proj", DateTimeOffset.UnixEpoch, "b1");

        await archive.PutAsync(key, new byte[] { 1 });
        await archive.PutAsync(key, new byte[] { 2, 3 });

        Assert.Equal([2, 3], await archive.GetAsync(key));
    }

    [Fact]
    public async Task ListAsync_Prefix_ReturnsKeysUnderItInOrder()
    {
        if (Archive() is not { } archive)
        {
            return;
        }
        await archive.EnsureAsync();
        var day = new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);
        string[] keys = [archive.KeyFor("p1", day, "b2"), archive.KeyFor("p1", day, "b1"), archive.KeyFor("p1", day.AddHours(1), "b0"), archive.KeyFor("p2", day, "b1")];
        foreach (var key in keys)
        {
            await archive.PutAsync(key, new byte[] { 1 });
        }

        var p1 = new List<string>();
        await foreach (var key in archive.ListAsync(_prefix + "p1/"))
        {
            p1.Add(key);
        }

        Assert.Equal(keys.Take(3).Order(StringComparer.Ordinal), p1);
    }

    [Fact]
    public async Task EnsureAsync_NewBucket_CreatesItOnceAndIsIdempotent()
    {
        var bucket = $"hotdash-test-{Guid.NewGuid():N}"[..40];
        if (Archive(bucket) is not { } archive)
        {
            return;
        }

        await archive.EnsureAsync();
        await archive.EnsureAsync();
        var key = archive.KeyFor("p", DateTimeOffset.UnixEpoch, "b");
        await archive.PutAsync(key, new byte[] { 7 });

        Assert.Equal([7], await archive.GetAsync(key));
        await _minio!.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(key));
        await _minio.RemoveBucketAsync(new RemoveBucketArgs().WithBucket(bucket));
    }
}
