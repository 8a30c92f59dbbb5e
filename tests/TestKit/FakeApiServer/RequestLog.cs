namespace TestKit.FakeApiServer;

/// <summary>Every request the fake served, in arrival order (thread-safe).</summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<LoggedRequest> _entries = [];

    public IReadOnlyList<LoggedRequest> Entries
    {
        get
        {
            lock (_gate)
            {
                return _entries.ToList();
            }
        }
    }

    /// <summary>The requests that could change state.</summary>
    public IReadOnlyList<LoggedRequest> Writes => Entries.Where(e => e.IsWrite).ToList();

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    internal void Add(LoggedRequest entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }
}
