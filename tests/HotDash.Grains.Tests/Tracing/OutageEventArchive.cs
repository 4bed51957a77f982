using HotDash.Analytics;

namespace HotDash.Grains.Tests.Tracing;

/// <summary>The real archive behind a switch: while <see cref="Down"/> reads and writes fail as an unreachable store's do.</summary>
public sealed class OutageEventArchive(IEventArchive inner) : IEventArchive
{
    private volatile bool _down;

    public bool Down { get => _down; set => _down = value; }

    public IEventArchive Inner => inner;

    public string Kind => inner.Kind;

    public string KeyFor(string projectId, DateTimeOffset at, string batchId) => inner.KeyFor(projectId, at, batchId);

    public Task PutAsync(string key, ReadOnlyMemory<byte> gzipNdjson, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.PutAsync(key, gzipNdjson, cancellationToken); }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.GetAsync(key, cancellationToken); }

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.ListAsync(prefix, cancellationToken); }

    public Task EnsureAsync(CancellationToken cancellationToken = default) => inner.EnsureAsync(cancellationToken);

    private void ThrowIfDown()
    {
        if (_down)
        {
            throw new IOException("archive unreachable (test outage)");
        }
    }
}
