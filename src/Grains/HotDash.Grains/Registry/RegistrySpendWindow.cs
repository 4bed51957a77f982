namespace HotDash.Grains.Registry;

/// <summary>
/// The embedded registry's most recent ledger rows in memory, oldest first, with the index of their request ids: a
/// fixed ring, so taking a row and dropping the oldest costs the same at any size.
/// </summary>
internal sealed class RegistrySpendWindow(int capacity)
{
    private readonly SpendRow[] _rows = new SpendRow[capacity];
    private readonly HashSet<string> _ids = new(capacity, StringComparer.Ordinal);
    private int _start;

    /// <summary>How many rows are held (at most the capacity).</summary>
    public int Count { get; private set; }

    /// <summary>The rows, oldest first.</summary>
    public IEnumerable<SpendRow> Rows
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                yield return _rows[(_start + i) % capacity];
            }
        }
    }

    /// <summary>Whether a held row has this request id.</summary>
    public bool Contains(string requestId) => _ids.Contains(requestId);

    /// <summary>Adds the newest row; when full, the oldest row (and its id) goes.</summary>
    public void Add(SpendRow row)
    {
        if (Count == capacity)
        {
            _ids.Remove(_rows[_start].RequestId);
            _rows[_start] = row;
            _start = (_start + 1) % capacity;
        }
        else
        {
            _rows[(_start + Count) % capacity] = row;
            Count++;
        }
        _ids.Add(row.RequestId);
    }
}
