using HotDash.Grains;

namespace HotDash.Api.Gateway;

/// <summary>This gateway's counters, lock-free on the hot path; shipped with each heartbeat.</summary>
internal sealed class GatewayMetrics
{
    private long requests, errors, streams, promptTokens, completionTokens, latencyMicros;

    public void Record(int status, bool stream, TokenUsage usage, TimeSpan latency)
    {
        Interlocked.Increment(ref requests);
        if (status >= 400)
        {
            Interlocked.Increment(ref errors);
        }
        if (stream)
        {
            Interlocked.Increment(ref streams);
        }
        if (usage.PromptTokens != 0)
        {
            Interlocked.Add(ref promptTokens, usage.PromptTokens);
        }
        if (usage.CompletionTokens != 0)
        {
            Interlocked.Add(ref completionTokens, usage.CompletionTokens);
        }
        Interlocked.Add(ref latencyMicros, (long)latency.TotalMicroseconds);
    }

    public GatewayCounters Snapshot()
    {
        var n = Interlocked.Read(ref requests);
        return new GatewayCounters(n, Interlocked.Read(ref errors), Interlocked.Read(ref streams),
            Interlocked.Read(ref promptTokens), Interlocked.Read(ref completionTokens),
            n == 0 ? 0 : Interlocked.Read(ref latencyMicros) / 1000.0 / n);
    }
}
