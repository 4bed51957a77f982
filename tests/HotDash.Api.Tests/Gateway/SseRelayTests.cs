using System.IO.Pipelines;

namespace HotDash.Api.Tests.Gateway;

public sealed class SseRelayTests
{
    private const string Chunk1 = """{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"}}]}""";
    private const string Chunk2 = """{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"lo"}}]}""";
    private const string UsageChunk = """{"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""";
    private const string Expected = $"data: {Chunk1}\n\ndata: {Chunk2}\n\ndata: {UsageChunk}\n\ndata: [DONE]\n\n";

    private sealed record Relayed(string Output, TokenUsage Usage, bool Completed, string? Error);

    private static async Task<Relayed> RelayAsync(Stream upstream, TimeSpan? idle = null, CancellationToken clientAborted = default)
    {
        var output = new MemoryStream();
        var writer = PipeWriter.Create(output);
        var (usage, completed, error) = await SseRelay.RelayAsync(upstream, writer, idle ?? TimeSpan.FromSeconds(10), clientAborted);
        await writer.CompleteAsync();
        return new Relayed(Encoding.UTF8.GetString(output.ToArray()), usage, completed, error);
    }

    private static Task<Relayed> RelayAsync(string upstream, int chunkSize = int.MaxValue) =>
        RelayAsync(ScriptedStream.Split(Encoding.UTF8.GetBytes(upstream), chunkSize));

    [Fact]
    public async Task RelayAsync_OpenAiFramedStream_IsPassedOnExactly()
    {
        var result = await RelayAsync(Expected);

        Assert.Equal(Expected, result.Output);
        Assert.True(result.Completed);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task RelayAsync_UsageChunk_IsReported()
    {
        var result = await RelayAsync(Expected);

        Assert.Equal(new TokenUsage(9, 2), result.Usage);
    }

    [Fact]
    public async Task RelayAsync_DataWithoutSpace_IsReframedWithSpace()
    {
        var result = await RelayAsync($"data:{Chunk1}\n\ndata:{Chunk2}\n\ndata:{UsageChunk}\n\ndata:[DONE]\n\n");

        Assert.Equal(Expected, result.Output);
    }

    [Fact]
    public async Task RelayAsync_CrLfLineEndings_AreReframedWithLf()
    {
        var result = await RelayAsync($"data: {Chunk1}\r\n\r\ndata: {Chunk2}\r\n\r\ndata: {UsageChunk}\r\n\r\ndata: [DONE]\r\n\r\n");

        Assert.Equal(Expected, result.Output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(4096)]
    public async Task RelayAsync_ChunksSplitAtArbitraryBytes_GiveTheSameEvents(int chunkSize)
    {
        // CRLF too: a split between \r and \n must not leave a stray \r.
        var crlf = $": hi\r\n\r\ndata: {Chunk1}\r\n\r\ndata:{Chunk2}\r\n\r\ndata: {UsageChunk}\r\n\r\ndata: [DONE]\r\n\r\n";

        Assert.Equal(Expected, (await RelayAsync(Expected, chunkSize)).Output);
        Assert.Equal(Expected, (await RelayAsync(crlf, chunkSize)).Output);
    }

    [Fact]
    public async Task RelayAsync_MultiByteCharactersSplitMidCharacter_ArePassedOnIntact()
    {
        const string chunk = """{"choices":[{"delta":{"content":"héllo wörld ✓ 日本"}}]}""";

        var result = await RelayAsync($"data: {chunk}\n\ndata: [DONE]\n\n", chunkSize: 3);

        Assert.Equal($"data: {chunk}\n\ndata: [DONE]\n\n", result.Output);
    }

    [Fact]
    public async Task RelayAsync_RandomSplits_GiveTheSameEvents()
    {
        var random = new Random(1234);
        var bytes = Encoding.UTF8.GetBytes(Expected);
        for (var run = 0; run < 50; run++)
        {
            var chunks = new List<byte[]>();
            for (var i = 0; i < bytes.Length;)
            {
                var n = Math.Min(bytes.Length - i, random.Next(1, 40));
                chunks.Add(bytes[i..(i + n)]);
                i += n;
            }

            var result = await RelayAsync(new ScriptedStream(chunks));

            Assert.Equal(Expected, result.Output);
        }
    }

    [Fact]
    public async Task RelayAsync_CommentsAndOtherFields_AreDropped()
    {
        var upstream = $": keep-alive\n\nevent: message\nid: 1\nretry: 100\ndata: {Chunk1}\n\n: ping\n\ndata: {Chunk2}\n\ndata: {UsageChunk}\n\ndata: [DONE]\n\n";

        var result = await RelayAsync(upstream);

        Assert.Equal(Expected, result.Output);
    }

    [Fact]
    public async Task RelayAsync_UpstreamEndsWithoutDone_StillEndsWithDone()
    {
        var result = await RelayAsync($"data: {Chunk1}\n\ndata: {Chunk2}\n\ndata: {UsageChunk}\n\n");

        Assert.Equal(Expected, result.Output);
        Assert.True(result.Completed);
    }

    [Fact]
    public async Task RelayAsync_UpstreamEndsWithoutFinalBlankLine_ClosesTheEventAndEndsWithDone()
    {
        var result = await RelayAsync($"data: {Chunk1}\n\ndata: {Chunk2}\n\ndata: {UsageChunk}\n");

        Assert.Equal(Expected, result.Output);
    }

    [Fact]
    public async Task RelayAsync_AnythingAfterDone_IsNotRelayed()
    {
        var result = await RelayAsync(Expected + $"data: {Chunk1}\n\n");

        Assert.Equal(Expected, result.Output);
    }

    [Fact]
    public async Task RelayAsync_EmptyUpstream_SendsOnlyDone()
    {
        var result = await RelayAsync("");

        Assert.Equal("data: [DONE]\n\n", result.Output);
    }

    [Fact]
    public async Task RelayAsync_UpstreamThrowsIOExceptionMidway_EndsWithErrorEventAndNoDone()
    {
        var upstream = new ScriptedStream([Encoding.UTF8.GetBytes($"data: {Chunk1}\n\ndata: {Chunk2}\n\ndata: {{\"partial")], new IOException("connection reset by peer"));

        var result = await RelayAsync(upstream);

        Assert.False(result.Completed);
        Assert.NotNull(result.Error);
        var events = OpenAiAssert.SseEvents(result.Output);
        Assert.Equal(3, events.Count);
        Assert.Equal(Chunk1, events[0]);
        Assert.Equal(Chunk2, events[1]);
        var error = OpenAiAssert.ErrorShape(events[2], "502");
        Assert.Contains("connection reset by peer", error.GetProperty("message").GetString());
        Assert.DoesNotContain("[DONE]", result.Output);
    }

    [Fact]
    public async Task RelayAsync_UpstreamThrowsInsideAnEvent_ClosesThatEventBeforeTheError()
    {
        // The data line is complete but its blank line never comes.
        var upstream = new ScriptedStream([Encoding.UTF8.GetBytes($"data: {Chunk1}\n")], new IOException("broken"));

        var result = await RelayAsync(upstream);

        var events = OpenAiAssert.SseEvents(result.Output);
        Assert.Equal(2, events.Count);
        Assert.Equal(Chunk1, events[0]);
        OpenAiAssert.ErrorShape(events[1], "502");
    }

    [Fact]
    public async Task RelayAsync_UpstreamSilentLongerThanIdleTimeout_EndsWithTimeoutErrorEvent()
    {
        var upstream = new ScriptedStream([Encoding.UTF8.GetBytes($"data: {Chunk1}\n\n")], hangAtEnd: true);

        var result = await RelayAsync(upstream, idle: TimeSpan.FromMilliseconds(200));

        var events = OpenAiAssert.SseEvents(result.Output);
        Assert.Equal(2, events.Count);
        var error = OpenAiAssert.ErrorShape(events[1], "408");
        Assert.Equal("timeout_error", error.GetProperty("type").GetString());
        Assert.False(result.Completed);
    }

    [Fact]
    public async Task RelayAsync_ClientGoneMidway_StopsWithoutErrorEvent()
    {
        using var cts = new CancellationTokenSource();
        var upstream = new ScriptedStream([Encoding.UTF8.GetBytes($"data: {Chunk1}\n\n")], hangAtEnd: true, onHang: cts.Cancel);

        var result = await RelayAsync(upstream, clientAborted: cts.Token);

        Assert.False(result.Completed);
        Assert.Equal($"data: {Chunk1}\n\n", result.Output);
    }

    [Fact]
    public async Task RelayAsync_EachEvent_IsFlushedBeforeTheNextIsRead()
    {
        var output = new RecordingStream();
        var writer = PipeWriter.Create(output);
        var upstream = new ScriptedStream([Encoding.UTF8.GetBytes($"data: {Chunk1}\n\n"), Encoding.UTF8.GetBytes($"data: {Chunk2}\n\n")])
        {
            BeforeEachRead = () => output.Snapshot(),
        };

        await SseRelay.RelayAsync(upstream, writer, TimeSpan.FromSeconds(5), CancellationToken.None);

        // When the relay asks for the second chunk, the first event has already reached the client.
        Assert.Contains($"data: {Chunk1}\n\n", upstream.SeenBeforeRead[1], StringComparison.Ordinal);
    }

    /// <summary>A stream that returns the given chunks one read at a time, then ends, throws, or hangs.</summary>
    private sealed class ScriptedStream(IEnumerable<byte[]> chunks, Exception? failAtEnd = null, bool hangAtEnd = false, Action? onHang = null) : Stream
    {
        private readonly Queue<byte[]> pending = new(chunks);

        public Func<string>? BeforeEachRead { get; init; }

        public List<string> SeenBeforeRead { get; } = [];

        public static ScriptedStream Split(byte[] bytes, int size) =>
            new(bytes.Chunk(Math.Max(1, Math.Min(size, Math.Max(1, bytes.Length)))).ToList());

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (BeforeEachRead is { } snapshot)
            {
                SeenBeforeRead.Add(snapshot());
            }
            if (pending.TryDequeue(out var chunk))
            {
                var n = Math.Min(chunk.Length, buffer.Length);
                chunk.AsSpan(0, n).CopyTo(buffer.Span);
                if (n < chunk.Length)
                {
                    var rest = new Queue<byte[]>([chunk[n..], .. pending]);
                    pending.Clear();
                    foreach (var c in rest)
                    {
                        pending.Enqueue(c);
                    }
                }
                return n;
            }
            if (failAtEnd is not null)
            {
                throw failAtEnd;
            }
            if (hangAtEnd)
            {
                onHang?.Invoke();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A write-only stream that remembers what reached it.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        public string Snapshot() => Encoding.UTF8.GetString(ToArray());
    }
}
