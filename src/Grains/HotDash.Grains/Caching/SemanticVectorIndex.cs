using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace HotDash.Grains.Caching;

/// <summary>
/// The semantic cache's in-memory vector index (what <see cref="SemanticIndexGrain"/> holds): rows of a cache key, a
/// unit-normalised embedding and an expiry, searched exactly by cosine similarity with SIMD arithmetic
/// (<see cref="TensorPrimitives"/> over spans). Not thread-safe: one grain activation owns it.
/// </summary>
/// <remarks>
/// <para>Layout: all vectors in one contiguous <c>float[]</c> (capacity doubling), dimension-major: coordinate
/// <c>j</c> of every row is one span (<c>[j × capacity, j × capacity + Count)</c>). Vectors are normalised on
/// <see cref="Add"/>, so a dot product is the cosine. Removing a row moves the last row into its place, so rows stay
/// dense.</para>
/// <para>Search is exhaustive and exact but reads little: an exhaustive row-by-row scan is bound by memory bandwidth
/// (100,000 rows of 384 floats are 154 MB: about 9 ms here), so rows are scanned in blocks of <see cref="BlockRows"/>,
/// coordinates in the order of the query's largest magnitudes first, adding each coordinate's span into the block's
/// partial dot products (and the rows' partial squared norms). After each step Cauchy-Schwarz bounds what the rest can
/// add: <c>dot ≤ partial + |q_rest| · sqrt(1 − partial_norm)</c>; once no row of the block can reach the threshold (or the
/// best match so far), the block is done. A block with a possible match is computed to the last coordinate, so every
/// similarity returned is the full dot product. Prompts unlike the query are ruled out after a small fraction of the
/// coordinates; when every row is alike (a model whose unrelated texts still score high), the scan costs what a full
/// scan costs.</para>
/// <para>Every row has a sequence number, increasing with each add; the oldest row (lowest number) is evicted when
/// <see cref="MaxRows"/> is reached. Rows are persisted in pages of <see cref="PageRows"/> consecutive sequence
/// numbers: each change marks its row's page dirty, and <see cref="TakeDirtyPages"/> hands out fresh copies of just
/// those pages, so a write never carries the whole index.</para>
/// </remarks>
public sealed class SemanticVectorIndex
{
    /// <summary>Rows per persisted page (by sequence number).</summary>
    public const int PageRows = 256;

    /// <summary>Rows scanned together: their partial sums (two spans of this many floats) stay in the L1 cache.</summary>
    public const int BlockRows = 2048;

    private const long Never = long.MaxValue;

    // Float rounding of the partial sums and the bound: a row this close to the bar is never ruled out.
    private const float BoundSlack = 1e-4f;

    // Coordinates added before the first bound check, and at least this many more per step (a step adds half again).
    private const int FirstStep = 32;

    private readonly Dictionary<string, int> _rowOf = new(StringComparer.Ordinal);
    // Insertion order for eviction; entries of rows since removed or re-added are skipped lazily.
    private readonly Queue<(long Seq, string Key)> _age = new();
    private readonly HashSet<long> _dirtyPages = [];
    private float[] _vectors = [];
    private int _capacity;
    private string[] _keys = [];
    private long[] _seqs = [];
    private long[] _expires = [];
    private int _count;

    /// <summary>An empty index holding at most <paramref name="maxRows"/> rows.</summary>
    public SemanticVectorIndex(int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        MaxRows = maxRows;
    }

    /// <summary>The most rows kept; adding a new key beyond it evicts the oldest row.</summary>
    public int MaxRows { get; }

    /// <summary>The embedding width, fixed by the first add (0 while the index has never held a row since it was made or cleared).</summary>
    public int Dimension { get; private set; }

    /// <summary>Rows held (expired ones included until <see cref="RemoveExpired"/>).</summary>
    public int Count => _count;

    /// <summary>The sequence number the next add gets (persisted, so page numbers are never reused).</summary>
    public long NextSeq { get; private set; }

    /// <summary>Whether some change has not been handed out by <see cref="TakeDirtyPages"/> yet.</summary>
    public bool IsDirty => _dirtyPages.Count > 0;

    /// <summary>Whether <paramref name="cacheKey"/> is indexed.</summary>
    public bool Contains(string cacheKey) => _rowOf.ContainsKey(cacheKey);

    /// <summary>
    /// Adds <paramref name="cacheKey"/> with a copy of <paramref name="embedding"/> scaled to unit length, or replaces
    /// its row (it then counts as the newest). Returns the key evicted to stay within <see cref="MaxRows"/>, if any.
    /// </summary>
    /// <exception cref="ArgumentException">The embedding is empty, has a non-finite or all-zero value, or its width differs from <see cref="Dimension"/>.</exception>
    public string? Add(string cacheKey, ReadOnlySpan<float> embedding, long? expiresMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheKey);
        var norm = CheckedNorm(embedding, nameof(embedding));
        if (Dimension == 0)
        {
            Dimension = embedding.Length;
        }
        string? evicted = null;
        if (!_rowOf.TryGetValue(cacheKey, out var row))
        {
            if (_count >= MaxRows)
            {
                evicted = EvictOldest();
            }
            EnsureCapacity(_count + 1);
            row = _count++;
            _keys[row] = cacheKey;
            _rowOf[cacheKey] = row;
        }
        else
        {
            _dirtyPages.Add(PageOf(_seqs[row]));
        }
        SetRow(row, embedding, norm);
        var seq = NextSeq++;
        _seqs[row] = seq;
        _expires[row] = expiresMs ?? Never;
        _age.Enqueue((seq, cacheKey));
        _dirtyPages.Add(PageOf(seq));
        CompactAgeQueue();
        return evicted;
    }

    /// <summary>
    /// The row most similar to <paramref name="embedding"/> among those unexpired at <paramref name="nowMs"/> with a
    /// cosine similarity of at least <paramref name="threshold"/>; null when none (or the index is empty).
    /// </summary>
    /// <exception cref="ArgumentException">The embedding is invalid, or its width differs from <see cref="Dimension"/>.</exception>
    public SemanticMatch? Search(ReadOnlySpan<float> embedding, double threshold, long nowMs)
    {
        var norm = CheckedNorm(embedding, nameof(embedding));
        if (_count == 0)
        {
            return null;
        }
        var dim = Dimension;
        var query = new float[dim];
        TensorPrimitives.Divide(embedding, norm, query);
        // Coordinates by the query's magnitude, largest first, and the query's energy left after the first k of them.
        var order = new int[dim];
        var magnitude = new float[dim];
        for (var j = 0; j < dim; j++)
        {
            order[j] = j;
            magnitude[j] = -Math.Abs(query[j]);
        }
        Array.Sort(magnitude, order);
        var rest = new float[dim + 1];
        for (var k = dim - 1; k >= 0; k--)
        {
            rest[k] = rest[k + 1] + (query[order[k]] * query[order[k]]);
        }

        // Rounding can put an exact duplicate a hair below 1, so a threshold of 1 still matches it.
        var floor = threshold >= 1 ? 1f - 1e-5f : (float)threshold;
        var best = -1;
        var bestScore = float.NegativeInfinity;
        Span<float> dot = stackalloc float[BlockRows];
        Span<float> sq = stackalloc float[BlockRows];
        Span<float> bound = stackalloc float[BlockRows];
        for (var start = 0; start < _count; start += BlockRows)
        {
            var len = Math.Min(BlockRows, _count - start);
            var d = dot[..len];
            var n = sq[..len];
            d.Clear();
            n.Clear();
            var k = 0;
            var possible = true;
            while (k < dim)
            {
                var next = Math.Min(dim, k == 0 ? FirstStep : k + Math.Max(16, k / 2));
                for (; k < next; k++)
                {
                    var j = order[k];
                    var column = _vectors.AsSpan((j * _capacity) + start, len);
                    TensorPrimitives.MultiplyAdd(column, query[j], d, d);
                    TensorPrimitives.MultiplyAdd(column, column, n, n);
                }
                if (k == dim)
                {
                    break;
                }
                // bound = partial + |q_rest| * sqrt(max(0, 1 - partial_norm)): the most the remaining coordinates can add.
                var b = bound[..len];
                TensorPrimitives.Subtract(1f, n, b);
                TensorPrimitives.Max(b, 0f, b);
                TensorPrimitives.Sqrt(b, b);
                TensorPrimitives.MultiplyAdd(b, MathF.Sqrt(rest[k]), d, b);
                var bar = Math.Max(floor, bestScore) - BoundSlack;
                if (TensorPrimitives.Max(b) < bar)
                {
                    possible = false;
                    break;
                }
                // A few rows left in the running (a near-duplicate among strangers): finish just those, one by one,
                // instead of the whole block.
                if (FewAbove(b, bar, out var survivors))
                {
                    for (var s = 0; s < SemanticFewRows.Length && survivors[s] >= 0; s++)
                    {
                        var i = survivors[s];
                        var row = start + i;
                        if (_expires[row] <= nowMs)
                        {
                            continue;
                        }
                        var score = d[i];
                        for (var t = k; t < dim; t++)
                        {
                            var j = order[t];
                            score += query[j] * _vectors[(j * _capacity) + row];
                        }
                        if (score > bestScore && score >= floor)
                        {
                            bestScore = score;
                            best = row;
                        }
                    }
                    possible = false;
                    break;
                }
            }
            if (!possible)
            {
                continue;
            }
            for (var i = 0; i < len; i++)
            {
                var score = d[i];
                if (score > bestScore && score >= floor && _expires[start + i] > nowMs)
                {
                    bestScore = score;
                    best = start + i;
                }
            }
        }
        return best < 0 ? null : new SemanticMatch(_keys[best], Math.Clamp(bestScore, -1.0, 1.0));
    }

    // Whether at most SemanticFewRows bounds reach the bar; then their indexes (the rest of the array -1).
    private static bool FewAbove(ReadOnlySpan<float> bounds, float bar, out SemanticFewRows survivors)
    {
        survivors = default;
        ((Span<int>)survivors).Fill(-1);
        var found = 0;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (bounds[i] >= bar)
            {
                if (found == SemanticFewRows.Length)
                {
                    return false;
                }
                survivors[found++] = i;
            }
        }
        return true;
    }

    /// <summary>Removes <paramref name="cacheKey"/>'s row; false when it was not indexed.</summary>
    public bool Remove(string cacheKey)
    {
        if (!_rowOf.TryGetValue(cacheKey, out var row))
        {
            return false;
        }
        RemoveRow(row);
        return true;
    }

    /// <summary>Removes the rows expired at <paramref name="nowMs"/>; returns how many.</summary>
    public int RemoveExpired(long nowMs)
    {
        var removed = 0;
        for (var i = _count - 1; i >= 0; i--)
        {
            if (_expires[i] <= nowMs)
            {
                RemoveRow(i);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>
    /// Removes every row and forgets the dimension. Sequence numbers go on from where they were, so pages written
    /// before the clear are never mistaken for new ones. The pages that held rows are marked dirty (to be deleted).
    /// </summary>
    public void Clear()
    {
        for (var i = 0; i < _count; i++)
        {
            _dirtyPages.Add(PageOf(_seqs[i]));
        }
        // The memory goes too: a cleared index of 100k wide rows would otherwise keep hundreds of MB.
        _vectors = [];
        _capacity = 0;
        _keys = [];
        _seqs = [];
        _expires = [];
        _rowOf.Clear();
        _age.Clear();
        _count = 0;
        Dimension = 0;
    }

    /// <summary>
    /// The dirty pages as fresh copies (a page with no row left comes back empty: delete it) and the numbers of every
    /// page holding rows now; the dirty marks are cleared. A caller whose write fails gives them back with
    /// <see cref="MarkDirty"/>.
    /// </summary>
    public (List<SemanticIndexPage> Dirty, List<long> Live) TakeDirtyPages()
    {
        var dim = Dimension;
        var builders = new Dictionary<long, List<int>>(_dirtyPages.Count);
        foreach (var page in _dirtyPages)
        {
            builders[page] = [];
        }
        var live = new HashSet<long>();
        for (var i = 0; i < _count; i++)
        {
            var page = PageOf(_seqs[i]);
            live.Add(page);
            if (builders.TryGetValue(page, out var rows))
            {
                rows.Add(i);
            }
        }
        var dirty = new List<SemanticIndexPage>(builders.Count);
        foreach (var (number, rows) in builders)
        {
            var vectors = new float[rows.Count * dim];
            var keys = new string[rows.Count];
            var seqs = new long[rows.Count];
            var expires = new long[rows.Count];
            for (var r = 0; r < rows.Count; r++)
            {
                var i = rows[r];
                keys[r] = _keys[i];
                seqs[r] = _seqs[i];
                expires[r] = _expires[i];
                GetRow(i, vectors.AsSpan(r * dim, dim));
            }
            dirty.Add(new SemanticIndexPage
            {
                Number = number,
                Dimension = rows.Count == 0 ? 0 : dim,
                Keys = keys,
                Seqs = seqs,
                ExpiresMs = expires,
                Vectors = MemoryMarshal.AsBytes(vectors.AsSpan()).ToArray(),
            });
        }
        _dirtyPages.Clear();
        var liveList = live.ToList();
        liveList.Sort();
        return (dirty, liveList);
    }

    /// <summary>Marks pages dirty again (their write failed).</summary>
    public void MarkDirty(IEnumerable<long> pages) => _dirtyPages.UnionWith(pages);

    /// <summary>
    /// Rebuilds the index from persisted pages (any order). A key found twice keeps its newest row; rows of another
    /// width than <paramref name="dimension"/>, or malformed pages, are skipped; over <see cref="MaxRows"/> the oldest
    /// go. Nothing is marked dirty, except pages that lost rows here (so storage converges).
    /// </summary>
    public void Load(int dimension, long nextSeq, IEnumerable<SemanticIndexPage> pages)
    {
        Clear();
        _dirtyPages.Clear();
        var rows = new List<(long Seq, string Key, long Expires, SemanticIndexPage Page, int Index)>();
        var newest = new Dictionary<string, long>(StringComparer.Ordinal);
        var maxSeq = nextSeq - 1;
        foreach (var page in pages)
        {
            if (!page.IsWellFormed() || page.Keys.Length == 0 || page.Dimension != dimension || dimension <= 0)
            {
                continue;
            }
            for (var r = 0; r < page.Keys.Length; r++)
            {
                var key = page.Keys[r];
                var seq = page.Seqs[r];
                maxSeq = Math.Max(maxSeq, seq);
                if (newest.TryGetValue(key, out var seen) && seen >= seq)
                {
                    _dirtyPages.Add(PageOf(seq)); // a stale duplicate: its page is rewritten without it
                    continue;
                }
                newest[key] = seq;
                rows.Add((seq, key, page.ExpiresMs[r], page, r));
            }
        }
        rows.RemoveAll(x =>
        {
            if (newest[x.Key] == x.Seq)
            {
                return false;
            }
            _dirtyPages.Add(PageOf(x.Seq));
            return true;
        });
        rows.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        var skip = Math.Max(0, rows.Count - MaxRows);
        for (var s = 0; s < skip; s++)
        {
            _dirtyPages.Add(PageOf(rows[s].Seq));
        }
        Dimension = rows.Count > skip ? dimension : 0;
        EnsureCapacity(rows.Count - skip);
        for (var s = skip; s < rows.Count; s++)
        {
            var (seq, key, expires, page, index) = rows[s];
            var row = _count++;
            var source = MemoryMarshal.Cast<byte, float>(page.Vectors.AsSpan()).Slice(index * dimension, dimension);
            SetRow(row, source, 1f);
            _keys[row] = key;
            _seqs[row] = seq;
            _expires[row] = expires;
            _rowOf[key] = row;
            _age.Enqueue((seq, key));
        }
        NextSeq = Math.Max(nextSeq, maxSeq + 1);
    }

    private static long PageOf(long seq) => seq / PageRows;

    // Row writes and reads are strided (one float per coordinate span); only adds, removals and page copies do them.
    private void SetRow(int row, ReadOnlySpan<float> values, float divisor)
    {
        var vectors = _vectors;
        var capacity = _capacity;
        for (var j = 0; j < values.Length; j++)
        {
            vectors[(j * capacity) + row] = values[j] / divisor;
        }
    }

    private void GetRow(int row, Span<float> destination)
    {
        var vectors = _vectors;
        var capacity = _capacity;
        for (var j = 0; j < destination.Length; j++)
        {
            destination[j] = vectors[(j * capacity) + row];
        }
    }

    private void MoveRow(int from, int to)
    {
        var vectors = _vectors;
        var capacity = _capacity;
        for (var j = 0; j < Dimension; j++)
        {
            vectors[(j * capacity) + to] = vectors[(j * capacity) + from];
        }
    }

    private float CheckedNorm(ReadOnlySpan<float> embedding, string name)
    {
        if (embedding.IsEmpty)
        {
            throw new ArgumentException("The embedding is empty.", name);
        }
        if (Dimension != 0 && embedding.Length != Dimension)
        {
            throw new ArgumentException(
                $"The embedding has {embedding.Length} dimensions but this semantic index holds {Dimension}-dimensional vectors " +
                "(fixed by its first add): the embedding model changed? Clear the index to use another model.", name);
        }
        var norm = TensorPrimitives.Norm(embedding);
        if (!float.IsFinite(norm) || norm <= 0)
        {
            throw new ArgumentException("The embedding must be finite and not all zero.", name);
        }
        return norm;
    }

    private void EnsureCapacity(int rows)
    {
        var dim = Math.Max(1, Dimension);
        if (rows <= _capacity && (long)_capacity * dim <= _vectors.Length)
        {
            return;
        }
        var capacity = Math.Max(16, _capacity);
        while (capacity < rows)
        {
            capacity *= 2;
        }
        // Doubling stops at the cap: an index at MaxRows never holds room for twice as many.
        capacity = Math.Max(rows, Math.Min(capacity, MaxRows));
        if ((long)capacity * dim > Array.MaxLength)
        {
            throw new InvalidOperationException($"A {dim}-dimensional semantic index cannot hold {capacity} rows in one array; lower SemanticIndexOptions.MaxRows.");
        }
        var vectors = new float[capacity * dim];
        if (_count > 0)
        {
            for (var j = 0; j < Dimension; j++)
            {
                _vectors.AsSpan(j * _capacity, _count).CopyTo(vectors.AsSpan(j * capacity));
            }
        }
        _vectors = vectors;
        _capacity = capacity;
        Array.Resize(ref _keys, capacity);
        Array.Resize(ref _seqs, capacity);
        Array.Resize(ref _expires, capacity);
    }

    private string? EvictOldest()
    {
        while (_age.TryDequeue(out var entry))
        {
            if (_rowOf.TryGetValue(entry.Key, out var row) && _seqs[row] == entry.Seq)
            {
                RemoveRow(row);
                return entry.Key;
            }
        }
        return null;
    }

    private void RemoveRow(int row)
    {
        _dirtyPages.Add(PageOf(_seqs[row]));
        _rowOf.Remove(_keys[row]);
        var last = _count - 1;
        if (row != last)
        {
            MoveRow(last, row);
            _keys[row] = _keys[last];
            _seqs[row] = _seqs[last];
            _expires[row] = _expires[last];
            _rowOf[_keys[row]] = row;
        }
        _keys[last] = null!;
        _count = last;
    }

    // Replaced and removed rows leave entries behind; rebuild once they outnumber the live rows, so memory stays bounded.
    private void CompactAgeQueue()
    {
        if (_age.Count <= 2 * Math.Max(_count, 1024))
        {
            return;
        }
        var live = new List<(long Seq, string Key)>(_count);
        for (var i = 0; i < _count; i++)
        {
            live.Add((_seqs[i], _keys[i]));
        }
        live.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        _age.Clear();
        foreach (var entry in live)
        {
            _age.Enqueue(entry);
        }
    }
}
