using System.Buffers;
using System.IO.Pipelines;

namespace HotDash.Api.Gateway;

/// <summary>
/// Relays an upstream SSE stream event by event: each <c>data:</c> line is re-framed as OpenAI does,
/// each event flushed as soon as it is complete, other SSE fields dropped. The stream ends with
/// <c>data: [DONE]</c>, or with a final <c>data: {"error":...}</c> event when the upstream fails midway.
/// </summary>
internal static class SseRelay
{
    // textMeter, when given, measures the completion text of every chunk (a usage estimate if the upstream sends none);
    // trace, when given, keeps a copy of every chunk for the call's trace; cache, when given, for the response cache.
    public static async Task<(TokenUsage Usage, bool Completed, string? Error)> RelayAsync(
        Stream upstream, PipeWriter client, TimeSpan idleTimeout, CancellationToken clientAborted, CompletionTextMeter? textMeter = null,
        Tracing.TraceCapture? trace = null, Caching.CacheFeed? cache = null)
    {
        var reader = PipeReader.Create(upstream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 2048, leaveOpen: true));
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        var usage = default(TokenUsage);
        var inEvent = false;
        var done = false;
        try
        {
            while (!done)
            {
                idle.CancelAfter(idleTimeout);
                var result = await reader.ReadAsync(idle.Token);
                var buffer = result.Buffer;
                var flushNeeded = false;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (line.IsEmpty)
                    {
                        if (inEvent)
                        {
                            SseWriter.EndEvent(client);
                            inEvent = false;
                            flushNeeded = true;
                        }
                        continue;
                    }
                    if (!StartsWithData(line, out var payload))
                    {
                        continue; // comments, event:, id:, retry: carry nothing OpenAI clients read
                    }
                    if (IsDone(payload))
                    {
                        done = true;
                        break;
                    }
                    if (payload.Length > 8)
                    {
                        var found = ScanUsage(payload);
                        if (found.TotalTokens > 0)
                        {
                            usage = found;
                        }
                        textMeter?.Measure(payload);
                        trace?.AddChunk(payload);
                    }
                    cache?.AddChunk(payload); // every payload: a replay must send exactly what went out
                    SseWriter.WriteDataLine(client, payload);
                    inEvent = true;
                }
                if (flushNeeded)
                {
                    // One flush per event read: the client sees each chunk as soon as it is complete.
                    var flush = await client.FlushAsync(clientAborted);
                    if (flush.IsCanceled || flush.IsCompleted)
                    {
                        return (usage, false, "client closed the connection");
                    }
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (clientAborted.IsCancellationRequested)
        {
            return (usage, false, "client closed the connection");
        }
        catch (OperationCanceledException)
        {
            return await FailAsync(client, inEvent, usage, $"The upstream sent nothing for {idleTimeout.TotalSeconds:0.#} s mid-stream (stream_timeout).", OpenAiError.Timeout, 408);
        }
        catch (IOException e)
        {
            return await FailAsync(client, inEvent, usage, $"The upstream connection broke mid-stream: {e.Message}", OpenAiError.Connection, 502);
        }
        catch (System.Net.Http.HttpRequestException e)
        {
            return await FailAsync(client, inEvent, usage, $"The upstream connection broke mid-stream: {e.Message}", OpenAiError.Connection, 502);
        }
        finally
        {
            await reader.CompleteAsync();
        }

        if (inEvent)
        {
            SseWriter.EndEvent(client);
        }
        // An upstream that ends cleanly without [DONE] has still finished: clients wait for the sentinel.
        SseWriter.WriteDone(client);
        await client.FlushAsync(clientAborted);
        return (usage, true, null);
    }

    private static async Task<(TokenUsage, bool, string?)> FailAsync(PipeWriter client, bool inEvent, TokenUsage usage, string message, string type, int status)
    {
        if (inEvent)
        {
            SseWriter.EndEvent(client);
        }
        SseWriter.WriteError(client, message, type, status);
        try
        {
            await client.FlushAsync();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client may be gone too; there is nobody left to tell.
        }
        return (usage, false, message);
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        if (!line.IsEmpty && EndsWithCr(line))
        {
            line = line.Slice(0, line.Length - 1);
        }
        return true;
    }

    private static bool EndsWithCr(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan[^1] == (byte)'\r';
        }
        return line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r';
    }

    private static bool StartsWithData(in ReadOnlySequence<byte> line, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (line.Length < 5)
        {
            return false;
        }
        Span<byte> head = stackalloc byte[6];
        var n = (int)Math.Min(6, line.Length);
        line.Slice(0, n).CopyTo(head);
        if (!head[..5].SequenceEqual("data:"u8))
        {
            return false;
        }
        payload = line.Slice(n == 6 && head[5] == (byte)' ' ? 6 : 5);
        return true;
    }

    private static bool IsDone(in ReadOnlySequence<byte> payload)
    {
        if (payload.Length != 6)
        {
            return false;
        }
        Span<byte> b = stackalloc byte[6];
        payload.CopyTo(b);
        return b.SequenceEqual("[DONE]"u8);
    }

    private static TokenUsage ScanUsage(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return UsageScanner.Scan(payload.FirstSpan);
        }
        var copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(copy);
            return UsageScanner.Scan(copy.AsSpan(0, (int)payload.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
