using HotDash.Analytics.Archive;

namespace HotDash.Analytics.Tests.Archive;

public sealed class FolderEventArchiveTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hotdash-archive-" + Guid.NewGuid().ToString("N"));
    private readonly FolderEventArchive _archive;

    public FolderEventArchiveTests() => _archive = new FolderEventArchive(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void KeyFor_ProjectTimeAndBatch_IsTheLangfuseLayoutInUtc()
    {
        var key = _archive.KeyFor("proj", new DateTimeOffset(2026, 3, 4, 23, 30, 0, TimeSpan.FromHours(-2)), "b1");

        Assert.Equal("proj/2026-03-05/01/b1.ndjson.gz", key);
        Assert.Equal("folder", _archive.Kind);
    }

    [Fact]
    public async Task GetAsync_AfterPut_ReturnsTheBytes()
    {
        await _archive.EnsureAsync();
        var key = _archive.KeyFor("p", DateTimeOffset.UnixEpoch, "b1");
        byte[] bytes = [1, 2, 3, 0, 255];

        await _archive.PutAsync(key, bytes);

        Assert.Equal(bytes, await _archive.GetAsync(key));
        Assert.True(File.Exists(Path.Combine(_root, "p", "1970-01-01", "00", "b1.ndjson.gz")));
    }

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsNull()
    {
        await _archive.EnsureAsync();

        Assert.Null(await _archive.GetAsync("p/2026-01-01/00/none.ndjson.gz"));
        Assert.Null(await new FolderEventArchive(Path.Combine(_root, "never-created")).GetAsync("p/x.ndjson.gz"));
    }

    [Fact]
    public async Task PutAsync_SameKeyTwice_OverwritesAndLeavesNoTemporaryFile()
    {
        var key = _archive.KeyFor("p", DateTimeOffset.UnixEpoch, "b1");

        await _archive.PutAsync(key, new byte[] { 1 });
        await _archive.PutAsync(key, new byte[] { 2, 2 });

        Assert.Equal([2, 2], await _archive.GetAsync(key));
        Assert.Single(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task PutAsync_ConcurrentWritersOfOneKey_LeaveOneWholeObject()
    {
        var key = _archive.KeyFor("p", DateTimeOffset.UnixEpoch, "b1");
        var payloads = Enumerable.Range(1, 8).Select(i => Enumerable.Repeat((byte)i, 256 * 1024).ToArray()).ToArray();

        await Task.WhenAll(payloads.Select(p => Task.Run(() => _archive.PutAsync(key, p))));

        var stored = await _archive.GetAsync(key);
        Assert.Contains(payloads, p => p.AsSpan().SequenceEqual(stored));
        Assert.Single(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ListAsync_Prefix_ReturnsKeysUnderItInOrder()
    {
        var day = new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);
        string[] keys =
        [
            _archive.KeyFor("p1", day, "b2"),
            _archive.KeyFor("p1", day, "b1"),
            _archive.KeyFor("p1", day.AddHours(1), "b0"),
            _archive.KeyFor("p10", day, "b9"),
            _archive.KeyFor("p2", day, "b1"),
        ];
        foreach (var key in keys)
        {
            await _archive.PutAsync(key, new byte[] { 1 });
        }
        // A writer's temporary file (a put in progress) is not an object.
        File.WriteAllBytes(Path.Combine(_root, "p1", "2026-01-02", "03", "b3.ndjson.gz.abc.tmp"), [1]);

        var all = await ToListAsync(_archive.ListAsync(""));
        var p1 = await ToListAsync(_archive.ListAsync("p1/"));
        var p1Hour = await ToListAsync(_archive.ListAsync("p1/2026-01-02/03/"));
        var partial = await ToListAsync(_archive.ListAsync("p1"));

        Assert.Equal(keys.Order(StringComparer.Ordinal), all);
        Assert.Equal(["p1/2026-01-02/03/b1.ndjson.gz", "p1/2026-01-02/03/b2.ndjson.gz", "p1/2026-01-02/04/b0.ndjson.gz"], p1);
        Assert.Equal(["p1/2026-01-02/03/b1.ndjson.gz", "p1/2026-01-02/03/b2.ndjson.gz"], p1Hour);
        Assert.Equal(4, partial.Count);
        Assert.Empty(await ToListAsync(_archive.ListAsync("nothing/")));
    }

    [Theory]
    [InlineData("../escape.ndjson.gz")]
    [InlineData("p/../../escape.ndjson.gz")]
    [InlineData("/abs.ndjson.gz")]
    [InlineData("p//x.ndjson.gz")]
    [InlineData("p\\..\\x.ndjson.gz")]
    public async Task PutAsync_KeyLeavingTheRoot_IsRefused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _archive.PutAsync(key, new byte[] { 1 }));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "escape.ndjson.gz")));
    }

    [Fact]
    public async Task EnsureAsync_MissingRoot_CreatesIt()
    {
        await _archive.EnsureAsync();
        await _archive.EnsureAsync();

        Assert.True(Directory.Exists(_root));
    }

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<string> keys)
    {
        var list = new List<string>();
        await foreach (var key in keys)
        {
            list.Add(key);
        }
        return list;
    }
}
