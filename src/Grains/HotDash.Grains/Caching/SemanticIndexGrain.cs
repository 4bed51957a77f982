using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace HotDash.Grains.Caching;

/// <summary>
/// The semantic cache's vector index of one model group in one scope (key: <see cref="ISemanticIndexGrain.KeyOf"/>):
/// a <see cref="SemanticVectorIndex"/> in memory, searched with SIMD dot products, persisted in the <c>hotdash</c>
/// grain storage.
/// </summary>
/// <remarks>
/// <para>Persistence is paged and written behind. Rows live in pages of <see cref="SemanticVectorIndex.PageRows"/>
/// consecutive adds (states <c>semantic-page-{n}</c>) beside a small head (<see cref="SemanticIndexState"/>, state
/// <c>semantic</c>) naming the pages; a write carries only the pages changed since the last one (usually the newest),
/// then the head, never the whole index. A write starts after <see cref="SemanticIndexOptions.WriteEveryAdds"/> adds
/// or on the <see cref="SemanticIndexOptions.WriteInterval"/> timer (which also drops expired rows), at most one at a
/// time and off the calling turn; deactivation waits for the last one; <see cref="Clear"/> waits for its own.</para>
/// <para>What a crash (kill -9) can lose: the changes since the last completed write, i.e. only the newest rows of the
/// index (and recent removals, which come back as rows whose cache entry is gone: their lookup misses and the gateway
/// removes them). It can never cause a wrong match: a row's key and vector are stored together in one page, a key found
/// in two pages keeps its newest row, and a page whose shape or width does not fit is skipped.</para>
/// </remarks>
public sealed class SemanticIndexGrain(
    [PersistentState("semantic", SemanticIndexGrain.StorageName)] IPersistentState<SemanticIndexState> state,
    [FromKeyedServices(SemanticIndexGrain.StorageName)] IGrainStorage storage,
    IOptions<SemanticIndexOptions> options,
    TimeProvider time,
    ILogger<SemanticIndexGrain> logger) : Grain, ISemanticIndexGrain
{
    /// <summary>The grain storage of the head and the pages (the silo's <c>hotdash</c> storage).</summary>
    public const string StorageName = "hotdash";

    // Pages read at once on activation: enough to hide storage latency, few enough not to flood it.
    private const int LoadParallelism = 16;

    private readonly SemanticIndexOptions _options = options.Value;
    private SemanticVectorIndex _index = null!;
    // Each page's stored ETag and whether it exists, once read or written; a page not here is read before it is written.
    private readonly Dictionary<long, (string? ETag, bool Exists)> _pages = [];
    private string _name = "";
    private int _addsSinceWrite;
    private Task? _writing;

    /// <summary>The state name of a page.</summary>
    public static string PageName(long number) => $"semantic-page-{number}";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _name = this.GetPrimaryKeyString();
        _index = new SemanticVectorIndex(_options.MaxRows);
        await LoadAsync(cancellationToken);
        var interval = _options.WriteInterval;
        this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions(interval, interval) { Interleave = false, KeepAlive = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync();
        }
        catch (Exception e)
        {
            // A stopping silo with memory storage has no storage left by now: one line, not a stack trace.
            SemanticIndexLog.FinalWriteFailed(logger, _name, e.Message);
        }
    }

    public Task<SemanticMatch?> Search(float[] embedding, double threshold, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        // Rows of another width come from an embedding model that has since changed: they can match nothing.
        if (_index.Dimension != 0 && embedding.Length != _index.Dimension)
        {
            return Task.FromResult<SemanticMatch?>(null);
        }
        return Task.FromResult(_index.Search(embedding, threshold, nowMs));
    }

    public Task Add(string cacheKey, float[] embedding, long? expiresMs)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (_index.Dimension != 0 && embedding.Length != _index.Dimension && embedding.Length > 0)
        {
            // The embedding model changed width: the old rows can never match again, so the index starts over.
            SemanticIndexLog.DimensionChanged(logger, _name, _index.Dimension, embedding.Length);
            _index.Clear();
        }
        _index.Add(cacheKey, embedding, expiresMs);
        if (++_addsSinceWrite >= _options.WriteEveryAdds)
        {
            ScheduleWrite();
        }
        return Task.CompletedTask;
    }

    public Task<int> Remove(ImmutableArray<string> cacheKeys)
    {
        var removed = 0;
        if (!cacheKeys.IsDefault)
        {
            foreach (var key in cacheKeys)
            {
                if (key is not null && _index.Remove(key))
                {
                    removed++;
                }
            }
        }
        // Written on the timer: a removal lost to a crash only brings back rows whose lookups miss.
        return Task.FromResult(removed);
    }

    public async Task Clear()
    {
        _index.Clear();
        await FlushAsync();
    }

    public Task<int> Count() => Task.FromResult(_index.Count);

    // Not waiting for the write: searches and adds go on while storage works (the write interleaves between them).
    private Task TickAsync()
    {
        _index.RemoveExpired(time.GetUtcNow().ToUnixTimeMilliseconds());
        if (_index.IsDirty)
        {
            ScheduleWrite();
        }
        return Task.CompletedTask;
    }

    private void ScheduleWrite()
    {
        if (_writing is null || _writing.IsCompleted)
        {
            _writing = WriteBehindAsync();
        }
    }

    // Runs on the activation's scheduler between the grain's turns. A failure leaves the pages dirty for the next
    // batch or tick, rather than retrying in a loop against a storage that is down.
    private async Task WriteBehindAsync()
    {
        await Task.Yield(); // off the calling turn: the add that scheduled it answers first
        try
        {
            while (_index.IsDirty)
            {
                await WriteOnceAsync();
            }
        }
        catch (Exception)
        {
            // Logged by WriteOnceAsync.
        }
    }

    // Waits for the write in flight, then writes what is left; throws when that write fails.
    private async Task FlushAsync()
    {
        if (_writing is { IsCompleted: false } inFlight)
        {
            await inFlight;
        }
        while (_index.IsDirty)
        {
            await WriteOnceAsync();
        }
    }

    private async Task WriteOnceAsync()
    {
        _addsSinceWrite = 0;
        var (dirty, live) = _index.TakeDirtyPages();
        // Copies taken now: the index may change while the storage works.
        var head = new SemanticIndexState
        {
            Dimension = _index.Dimension,
            NextSeq = _index.NextSeq,
            PageRows = SemanticVectorIndex.PageRows,
            Pages = live,
        };
        try
        {
            await Task.WhenAll(dirty.Select(WritePageAsync));
            // Last: the head only ever names pages that are written.
            state.State = head;
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            _index.MarkDirty(dirty.Select(p => p.Number));
            SemanticIndexLog.WriteFailed(logger, e, _name, dirty.Count);
            throw;
        }
    }

    private async Task WritePageAsync(SemanticIndexPage page)
    {
        if (!_pages.ContainsKey(page.Number))
        {
            await ReadPageAsync(page.Number);
        }
        var (etag, exists) = _pages[page.Number];
        if (page.Keys.Length == 0 && !exists)
        {
            return;
        }
        var stored = new GrainState<SemanticIndexPage>(page, etag) { RecordExists = exists };
        try
        {
            if (page.Keys.Length == 0)
            {
                await storage.ClearStateAsync(PageName(page.Number), this.GetGrainId(), stored);
                _pages[page.Number] = (stored.ETag, false);
            }
            else
            {
                await storage.WriteStateAsync(PageName(page.Number), this.GetGrainId(), stored);
                _pages[page.Number] = (stored.ETag, true);
            }
        }
        catch
        {
            // Whether storage took it is unknown, and with it the ETag: read it again before the next write.
            _pages.Remove(page.Number);
            throw;
        }
    }

    private async Task<SemanticIndexPage?> ReadPageAsync(long number)
    {
        var stored = new GrainState<SemanticIndexPage>();
        await storage.ReadStateAsync(PageName(number), this.GetGrainId(), stored);
        _pages[number] = (stored.ETag, stored.RecordExists);
        return stored.RecordExists ? stored.State : null;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var head = state.State ?? new SemanticIndexState();
        if (head.Pages.Count == 0)
        {
            _index.Load(0, head.NextSeq, []);
            return;
        }
        if (head.PageRows != SemanticVectorIndex.PageRows)
        {
            // Another build's numbering: its rows would land in other pages. Start empty and delete the old pages.
            SemanticIndexLog.PageLayoutChanged(logger, _name, head.PageRows, SemanticVectorIndex.PageRows);
            foreach (var number in head.Pages)
            {
                _ = await ReadPageAsync(number);
                if (_pages[number].Exists)
                {
                    await WritePageAsync(new SemanticIndexPage { Number = number });
                }
            }
            _index.Load(0, head.NextSeq, []);
            state.State = new SemanticIndexState { NextSeq = head.NextSeq, PageRows = SemanticVectorIndex.PageRows };
            await state.WriteStateAsync();
            return;
        }
        var pages = new SemanticIndexPage?[head.Pages.Count];
        var found = new (long Number, string? ETag, bool Exists)[head.Pages.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, head.Pages.Count),
            new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Current },
            async (i, _) =>
            {
                var stored = new GrainState<SemanticIndexPage>();
                await storage.ReadStateAsync(PageName(head.Pages[i]), this.GetGrainId(), stored);
                pages[i] = stored.RecordExists ? stored.State : null;
                found[i] = (head.Pages[i], stored.ETag, stored.RecordExists);
            });
        foreach (var (number, etag, exists) in found)
        {
            _pages[number] = (etag, exists);
        }
        _index.Load(head.Dimension, head.NextSeq, pages.Where(p => p is not null)!);
        SemanticIndexLog.Loaded(logger, _name, _index.Count, _index.Dimension, head.Pages.Count);
    }
}
