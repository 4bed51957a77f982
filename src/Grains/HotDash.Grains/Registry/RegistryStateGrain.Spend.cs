namespace HotDash.Grains.Registry;

// The spend ledger's rows: the last SpendLogCapacity of them in memory (with their request ids, the idempotency set),
// stored in a ring of pages beside the snapshot. A batch rewrites the current page (its committed rows, then the
// batch's) and writes any pages it starts, then commits them with the snapshot (SpendPage, SpendPageFill). Slots are
// numbered by absolute page, so a slot left holding a page that no snapshot committed is recognised and ignored.
public sealed partial class RegistryStateGrain
{
    /// <summary>
    /// Rows per ledger page. A realistic row (hashed key, request and deployment ids, no metadata) encodes to about 220
    /// bytes, so a full page is about 44 KB: well under the 85 KB from which .NET allocates on the large object heap,
    /// with room for rows that carry metadata.
    /// </summary>
    public const int SpendPageRows = 200;

    /// <summary>
    /// The most new rows stored all or nothing in one go: a larger batch is stored in parts of this many, each all or
    /// nothing, and a retry of it counts only the parts not stored (as for any retried row).
    /// </summary>
    public const int SpendAtomicRows = 2_000;

    // The pages that can hold kept rows: the current one and enough full ones before it for SpendLogCapacity rows.
    private const int LiveSpendPages = SpendLogCapacity / SpendPageRows + 1;

    /// <summary>
    /// Slots in the ring of ledger pages: the pages that can hold kept rows plus room for the new pages of one
    /// <see cref="SpendAtomicRows"/> part, so that pages written by a part whose snapshot could not be stored never
    /// overwrite a page with rows still kept.
    /// </summary>
    public const int SpendPageSlots = LiveSpendPages + SpendAtomicRows / SpendPageRows;

    private readonly RegistrySpendWindow _window = new(SpendLogCapacity);

    // Request ids counted before the ledger was paged whose rows were not kept (S.SeenRequestIds), usually none.
    private readonly HashSet<string> _olderSeen = new(StringComparer.Ordinal);

    // Each slot's stored ETag once read or written; a slot not here is read before it is written (storages check it).
    private readonly Dictionary<int, (string? ETag, bool Exists)> _slots = [];

    // The committed rows of page S.SpendPage, which the next batch writes again with its own rows after them.
    private SpendRow[] _page = [];

    private bool Seen(string requestId) => _window.Contains(requestId) || _olderSeen.Contains(requestId);

    private static string SlotName(int slot) => $"registry-spend-{slot}";

    // After S is decoded: a registry with no ledger yet starts paged; the older ids are indexed.
    private void RestoreLedgerState()
    {
        if (S.SpendPageRows == 0 && S.SpendLog.Count == 0 && S.SeenRequestIds.Count == 0)
        {
            (S.SpendPageRows, S.SpendPageSlots, S.SpendPageFirst, S.SpendPage, S.SpendPageFill) = (SpendPageRows, SpendPageSlots, 0, 0, 0);
        }
        _olderSeen.Clear();
        _olderSeen.UnionWith(S.SeenRequestIds);
    }

    // On activation: the committed rows back into memory, or, from an older snapshot, into pages first.
    private async Task LoadLedgerAsync()
    {
        if (S.SpendPageRows == SpendPageRows && S.SpendPageSlots == SpendPageSlots)
        {
            var (rows, current) = await ReadPagesAsync(SpendPageRows, SpendPageSlots);
            foreach (var row in rows)
            {
                _window.Add(row);
            }
            _page = current;
            return;
        }
        // A snapshot from before the pages holds its rows itself; one paged by another build's constants is read with them.
        var older = S.SpendPageRows == 0 ? S.SpendLog : (await ReadPagesAsync(S.SpendPageRows, S.SpendPageSlots)).Rows;
        await MoveLedgerAsync(older);
    }

    // The committed rows of the pages that can hold kept rows, oldest first, and those of the current page.
    private async Task<(List<SpendRow> Rows, SpendRow[] Current)> ReadPagesAsync(int pageRows, int slots)
    {
        var span = Math.Min(slots, (SpendLogCapacity + pageRows - 1) / pageRows + 1);
        var last = S.SpendPage;
        var first = Math.Max(S.SpendPageFirst, last - span + 1);
        var numbers = new long[last - first + 1];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = first + i;
        }
        var pages = await Task.WhenAll(numbers.Select(n => ReadSlotAsync((int)(n % slots))));
        var rows = new List<SpendRow>(numbers.Length * pageRows);
        SpendRow[] current = [];
        for (var i = 0; i < numbers.Length; i++)
        {
            var number = numbers[i];
            if (pages[i] is not { } page || page.Number != number)
            {
                if (number != last || S.SpendPageFill > 0)
                {
                    RegistryStateGrainLog.PageMissing(logger, number, (int)(number % slots));
                }
                continue;
            }
            var content = serializer.Deserialize<SpendRow[]>(page.Data) ?? [];
            if (number == last)
            {
                // Rows after the committed ones are a batch whose snapshot was never stored.
                current = content.Length > S.SpendPageFill ? content[..S.SpendPageFill] : content;
                content = current;
            }
            rows.AddRange(content);
        }
        return (rows, current);
    }

    // Moves the rows of an older snapshot (or of pages of another size) into pages, then commits the snapshot that
    // names them. Until that snapshot is stored the older one stays in force, so a failure here only means it is moved
    // again at the next activation. The new pages are numbered after any older ones, so the two never mix.
    private async Task MoveLedgerAsync(IReadOnlyList<SpendRow> older)
    {
        var rows = older.Skip(Math.Max(0, older.Count - SpendLogCapacity)).ToArray();
        var kept = rows.Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);
        var olderIds = S.SeenRequestIds.Where(id => !kept.Contains(id)).ToList();
        olderIds.RemoveRange(0, Math.Clamp(rows.Length + olderIds.Count - SeenRequestCapacity, 0, olderIds.Count));
        var first = S.SpendPageRows == 0 ? 0 : S.SpendPage + 1;
        var pages = rows.Chunk(SpendPageRows).ToArray();
        await Task.WhenAll(pages.Select((page, i) => WritePageAsync(first + i, page)));

        S.SpendLog = [];
        S.SeenRequestIds = olderIds;
        (S.SpendPageRows, S.SpendPageSlots, S.SpendPageFirst) = (SpendPageRows, SpendPageSlots, first);
        (S.SpendPage, S.SpendPageFill) = pages.Length == 0 ? (first, 0) : (first + pages.Length - 1, pages[^1].Length);
        await CommitAsync("spend ledger move");

        foreach (var row in rows)
        {
            _window.Add(row);
        }
        _page = pages.Length == 0 ? [] : pages[^1];
        _olderSeen.Clear();
        _olderSeen.UnionWith(olderIds);
        RegistryStateGrainLog.LedgerMoved(logger, rows.Length, pages.Length);
    }

    // Counts a part of a batch (new rows only, at most SpendAtomicRows) and stores it: its pages, then the snapshot.
    // Memory's ledger changes only once both are stored; anything else is undone by decoding the stored snapshot again.
    private async Task WriteSpendPartAsync(SpendRow[] part)
    {
        foreach (var row in part)
        {
            Count(row);
        }
        // Older ids give way as newer rows come, so that at most SeenRequestCapacity ids are remembered in all.
        var keptAfter = Math.Min(SpendLogCapacity, _window.Count + part.Length);
        var drop = Math.Clamp(keptAfter + S.SeenRequestIds.Count - SeenRequestCapacity, 0, S.SeenRequestIds.Count);
        var dropped = S.SeenRequestIds.GetRange(0, drop);
        S.SeenRequestIds.RemoveRange(0, drop);

        var pages = Paged(part);
        (S.SpendPage, S.SpendPageFill) = (pages[^1].Number, pages[^1].Rows.Length);
        try
        {
            await Task.WhenAll(pages.Select(p => WritePageAsync(p.Number, p.Rows)));
        }
        catch (Exception e)
        {
            RegistryGrainLog.WriteFailed(logger, e, "spend write");
            Restore();
            throw;
        }
        await CommitAsync("spend write");

        _page = pages[^1].Rows;
        foreach (var row in part)
        {
            _window.Add(row);
        }
        _olderSeen.ExceptWith(dropped);
    }

    // The current page's committed rows followed by the part's, cut into pages from the current one on.
    private List<(long Number, SpendRow[] Rows)> Paged(SpendRow[] part)
    {
        var pages = new List<(long Number, SpendRow[] Rows)>(part.Length / SpendPageRows + 2);
        var number = S.SpendPage;
        var current = _page;
        if (current.Length >= SpendPageRows)
        {
            number++;
            current = [];
        }
        for (var taken = 0; taken < part.Length; number++, current = [])
        {
            var count = Math.Min(SpendPageRows - current.Length, part.Length - taken);
            var rows = new SpendRow[current.Length + count];
            current.CopyTo(rows, 0);
            Array.Copy(part, taken, rows, current.Length, count);
            pages.Add((number, rows));
            taken += count;
        }
        return pages;
    }

    private async Task<RegistrySpendPage?> ReadSlotAsync(int slot)
    {
        var stored = new GrainState<RegistrySpendPage>();
        await storage.ReadStateAsync(SlotName(slot), this.GetGrainId(), stored);
        _slots[slot] = (stored.ETag, stored.RecordExists);
        return stored.RecordExists ? stored.State : null;
    }

    private async Task WritePageAsync(long number, SpendRow[] rows)
    {
        var slot = (int)(number % SpendPageSlots);
        if (!_slots.ContainsKey(slot))
        {
            await ReadSlotAsync(slot);
        }
        var (etag, exists) = _slots[slot];
        var page = new GrainState<RegistrySpendPage>(new RegistrySpendPage { Number = number, Data = serializer.SerializeToArray(rows) }, etag)
        {
            RecordExists = exists,
        };
        try
        {
            await storage.WriteStateAsync(SlotName(slot), this.GetGrainId(), page);
        }
        catch
        {
            // Whether storage took it is unknown, and with it the slot's ETag: read it again before the next write.
            _slots.Remove(slot);
            throw;
        }
        _slots[slot] = (page.ETag, true);
    }
}
