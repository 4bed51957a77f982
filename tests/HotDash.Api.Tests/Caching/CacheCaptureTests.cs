using System.Buffers;
using HotDash.Api.Caching;

namespace HotDash.Api.Tests.Caching;

public sealed class CacheCaptureTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(byte[] b) => Encoding.UTF8.GetString(b);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }

    private static ReadOnlySequence<byte> Split(string text, int at)
    {
        var bytes = B(text);
        var first = new Segment(bytes[..at]);
        var last = first.Append(bytes[at..]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    [Fact]
    public void Build_StreamedChunks_IsAStreamedEntryWithExpiry()
    {
        using var capture = new CacheCapture(1 << 20);
        capture.AddChunk(B("""{"a":1}"""));
        capture.AddChunk(Split("""{"b":"two"}""", 4));
        capture.AddChunk(B("""{"c":3}"""));

        var entry = capture.Build("ns:abc", "gpt-4o", "acompletion", nowMs: 1_000, ttlMs: 60_000, promptTokens: 9, completionTokens: 3, cost: 0.25m, deploymentId: "dep-1");

        Assert.NotNull(entry);
        Assert.True(entry.Streamed);
        Assert.Equal(["""{"a":1}""", """{"b":"two"}""", """{"c":3}"""], entry.Chunks.Select(S));
        Assert.Equal(("ns:abc", "gpt-4o", "acompletion", 1_000L, (long?)61_000L), (entry.Key, entry.ModelGroup, entry.CallType, entry.CreatedMs, entry.ExpiresMs));
        Assert.Equal((9L, 3L, 0.25m, "dep-1"), (entry.PromptTokens, entry.CompletionTokens, entry.Cost, entry.DeploymentId));
        Assert.Equal(25, entry.SizeBytes);
    }

    [Fact]
    public void Build_NoTtl_NeverExpires()
    {
        using var capture = new CacheCapture(1024);
        capture.SetBody(B("""{"ok":true}"""));

        var entry = capture.Build("k", "m", "aembedding", 5, null, 1, 0, 0, null);

        Assert.NotNull(entry);
        Assert.False(entry.Streamed);
        Assert.Equal("""{"ok":true}""", S(entry.Body!));
        Assert.Null(entry.ExpiresMs);
    }

    [Fact]
    public void TakeNewChunks_ReturnsOnlyWhatCameSinceTheLastCall()
    {
        using var capture = new CacheCapture(1 << 20);
        Assert.Empty(capture.TakeNewChunks());

        capture.AddChunk(B("1"));
        capture.AddChunk(B("22"));
        var first = capture.TakeNewChunks();
        capture.AddChunk(B("333"));
        var second = capture.TakeNewChunks();
        var third = capture.TakeNewChunks();

        Assert.Equal(["1", "22"], first.Select(S));
        Assert.Equal(["333"], second.Select(S));
        Assert.Empty(third);
        var entry = capture.Build("k", "m", "acompletion", 0, null, 0, 0, 0, null)!;
        Assert.Equal(["1", "22", "333"], entry.Chunks.Select(S));
        Assert.Same(first[0], entry.Chunks[0]); // copied out once, shared by Append and the entry
    }

    [Fact]
    public void AddChunk_PastTheCap_MarksOversizedAndKeepsNothing()
    {
        using var capture = new CacheCapture(1024);
        capture.AddChunk(new byte[600]);
        Assert.Single(capture.TakeNewChunks());
        capture.AddChunk(new byte[600]);
        capture.AddChunk(new byte[10]);

        Assert.True(capture.Oversized);
        Assert.Empty(capture.TakeNewChunks());
        Assert.Equal(0, capture.Bytes);
        Assert.Null(capture.Build("k", "m", "acompletion", 0, null, 0, 0, 0, null));
    }

    [Fact]
    public void AddChunk_ExactlyTheCap_IsKept()
    {
        using var capture = new CacheCapture(1024);
        capture.AddChunk(new byte[1000]);
        capture.AddChunk(new byte[24]);

        Assert.False(capture.Oversized);
        Assert.Equal(1024, capture.Build("k", "m", "acompletion", 0, null, 0, 0, 0, null)!.SizeBytes);
    }

    [Fact]
    public void SetBody_PastTheCap_IsOversized()
    {
        using var capture = new CacheCapture(1024);
        capture.SetBody(new byte[1025]);

        Assert.True(capture.Oversized);
        Assert.Null(capture.Build("k", "m", "acompletion", 0, null, 0, 0, 0, null));
    }

    [Fact]
    public void Build_NothingCaptured_IsNull()
    {
        using var capture = new CacheCapture(1024);

        Assert.Null(capture.Build("k", "m", "acompletion", 0, null, 0, 0, 0, null));
    }

    [Fact]
    public void Build_AfterDispose_IsNull()
    {
        var capture = new CacheCapture(1024);
        capture.AddChunk(B("x"));
        capture.Dispose();

        Assert.Null(capture.Build("k", "m", "acompletion", 0, null, 0, 0, 0, null));
        capture.AddChunk(B("y"));
        Assert.Empty(capture.TakeNewChunks());
    }

    [Fact]
    public void AddChunk_ManyChunks_GrowsAndKeepsEveryByte()
    {
        using var capture = new CacheCapture(1 << 20);
        var expected = new List<string>();
        for (var i = 0; i < 2_000; i++)
        {
            var chunk = $$"""{"i":{{i}},"text":"{{new string((char)('a' + (i % 26)), i % 50)}}"}""";
            expected.Add(chunk);
            capture.AddChunk(B(chunk));
        }

        var entry = capture.Build("k", "m", "acompletion", 0, null, 0, 0, 0, null)!;

        Assert.Equal(expected, entry.Chunks.Select(S));
        Assert.Equal(2_000, capture.ChunkCount);
        Assert.True(capture.Streamed);
    }

    [Fact]
    public async Task AddChunk_WhileAnotherTaskTakes_LosesAndRepeatsNothing()
    {
        using var capture = new CacheCapture(1 << 20);
        var taken = new List<byte[]>();
        using var done = new CancellationTokenSource();
        var taker = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                taken.AddRange(capture.TakeNewChunks());
                await Task.Yield();
            }
        });
        for (var i = 0; i < 5_000; i++)
        {
            capture.AddChunk(B(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        await done.CancelAsync();
        await taker;
        taken.AddRange(capture.TakeNewChunks());

        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), taken.Select(S));
    }
}
