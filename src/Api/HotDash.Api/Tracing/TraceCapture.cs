using System.Buffers;
using HotDash.Api.Gateway;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;

namespace HotDash.Api.Tracing;

/// <summary>
/// What one request leaves for its trace, collected on the request path with copies only (no parsing): the answer's
/// bytes as they went to the client (a non-streamed body, or a stream's chunk payloads one per line) and when the first
/// chunk went out, then, once the answer is complete, the request's body and the call's outcome. The trace shipper turns
/// it into the trace and generation events in the background (<see cref="TraceEventBuilder"/>).
/// </summary>
internal sealed class TraceCapture(TimeProvider time, EndpointKind kind)
{
    /// <summary>The most answer bytes kept for the output; a longer answer's output is what fits (streams) or left out.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    private byte[]? response; // rented; a stream's payloads separated by '\n'
    private int responseLength;

    public TimeProvider Time { get; } = time;

    public EndpointKind Kind { get; } = kind;

    /// <summary>When the first stream chunk went to the client.</summary>
    public DateTimeOffset? FirstChunkTime { get; private set; }

    /// <summary>The answer was streamed (chunks added).</summary>
    public bool Streamed { get; private set; }

    /// <summary>Some of the answer did not fit in <see cref="MaxResponseBytes"/>.</summary>
    public bool ResponseTruncated { get; private set; }

    /// <summary>The kept answer bytes.</summary>
    public ReadOnlySpan<byte> Response => response is null ? default : response.AsSpan(0, responseLength);

    // Filled once the answer is complete.
    public string CallId { get; set; } = "";
    public byte[] RequestBody { get; set; } = [];
    public string ModelGroup { get; set; } = "";
    public ModelDeployment? Deployment { get; set; }
    public ModelPrice Price { get; set; } = PriceTable.Free;
    public KeyAdmissionDecision? Admission { get; set; }
    public string? EndUser { get; set; }
    public bool NoLog { get; set; }
    public DateTimeOffset StartTime { get; set; }
    public DateTimeOffset EndTime { get; set; }
    public bool Success { get; set; }
    public int StatusCode { get; set; }
    public string? ErrorMessage { get; set; }
    public TokenUsage Usage { get; set; }
    public decimal Cost { get; set; }

    /// <summary>Answered from the cache.</summary>
    public bool CacheHit { get; set; }

    /// <summary>For a cache hit, the original call's cost: what the hit saved.</summary>
    public decimal CacheSavedCost { get; set; }

    /// <summary>The prompt tokens the quota estimate counted (virtual keys), 0 when none was made.</summary>
    public int EstimatedPromptTokens { get; set; }

    /// <summary>The request's <c>langfuse_*</c> headers (name without the prefix, value), or null when it had none.</summary>
    public List<KeyValuePair<string, string>>? LangfuseHeaders { get; set; }

    /// <summary>
    /// The events built from this capture, kept with it: building returns the pooled buffers, so a batch re-sent as a new
    /// array (at shutdown) must reuse these, never build again from freed bytes.
    /// </summary>
    public (TraceEvent Trace, TraceEvent Generation)? Built { get; set; }

    /// <summary>A stream chunk's JSON payload, just before it goes to the client.</summary>
    public void AddChunk(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            AddChunk(payload.FirstSpan);
            return;
        }
        if (!StartChunk((int)payload.Length))
        {
            return;
        }
        payload.CopyTo(response.AsSpan(responseLength));
        EndChunk((int)payload.Length);
    }

    /// <summary>A stream chunk's JSON payload, just before it goes to the client.</summary>
    public void AddChunk(ReadOnlySpan<byte> payload)
    {
        if (!StartChunk(payload.Length))
        {
            return;
        }
        payload.CopyTo(response.AsSpan(responseLength));
        EndChunk(payload.Length);
    }

    /// <summary>A non-streamed answer's body (embeddings keep none: LiteLLM logs no output for them).</summary>
    public void SetResponse(ReadOnlySpan<byte> body)
    {
        if (Kind == EndpointKind.Embeddings)
        {
            return;
        }
        if (body.Length > MaxResponseBytes)
        {
            ResponseTruncated = true;
            return;
        }
        Return();
        response = ArrayPool<byte>.Shared.Rent(Math.Max(body.Length, 1));
        body.CopyTo(response);
        responseLength = body.Length;
    }

    /// <summary>Gives the rented answer buffer back; the capture keeps nothing after this.</summary>
    public void Return()
    {
        var r = response;
        response = null;
        responseLength = 0;
        if (r is not null)
        {
            ArrayPool<byte>.Shared.Return(r);
        }
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(response))]
    private bool StartChunk(int length)
    {
        if (!Streamed)
        {
            Streamed = true;
            FirstChunkTime = Time.GetUtcNow();
        }
        var needed = responseLength + length + 1;
        if (needed > MaxResponseBytes)
        {
            ResponseTruncated = true;
            return false;
        }
        if (response is null || response.Length < needed)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, (response?.Length ?? 0) * 2)));
            if (response is not null)
            {
                response.AsSpan(0, responseLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(response);
            }
            response = bigger;
        }
        return true;
    }

    private void EndChunk(int length)
    {
        responseLength += length;
        response![responseLength++] = (byte)'\n';
    }
}
