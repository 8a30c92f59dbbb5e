using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace TestKit.FakeApiServer;

/// <summary>
/// One open watch on the store: receives the events of its resource and namespace (selector filtering happens in
/// the stream writer, which needs the previous object to turn selector transitions into ADDED/DELETED).
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<StoreEvent> _events = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<WatchSubscription> _onDispose;
    private int _stalled;

    internal WatchSubscription(string resource, string? ns, long startResourceVersion, Action<WatchSubscription> onDispose)
    {
        Resource = resource;
        Namespace = ns;
        StartResourceVersion = startResourceVersion;
        _onDispose = onDispose;
    }

    /// <summary>The store resource key (group + plural).</summary>
    public string Resource { get; }

    /// <summary>The namespace watched, or null for all namespaces.</summary>
    public string? Namespace { get; }

    /// <summary>The revision the watch started after; bookmarks are only due once the resource moved past it.</summary>
    public long StartResourceVersion { get; }

    public ChannelReader<StoreEvent> Events => _events.Reader;

    /// <summary>Cancelled when a test drops the connection: the writer aborts the TCP connection.</summary>
    public CancellationToken Dropped => _dropped.Token;

    /// <summary>While stalled the writer keeps the connection open and sends nothing, not even the clean end.</summary>
    public bool IsStalled => Volatile.Read(ref _stalled) == 1;

    /// <summary>Synthetic events (the initial ADDED burst for RV 0 or no RV) queued before live ones.</summary>
    public IReadOnlyList<JsonObject> InitialObjects { get; internal set; } = [];

    /// <summary>Whether an event for <paramref name="key"/> belongs to this watch (its resource and namespace).</summary>
    public bool Wants(ObjectKey key) => key.Resource == Resource && (Namespace is null || key.Namespace == Namespace);

    internal void Publish(StoreEvent storeEvent) => _events.Writer.TryWrite(storeEvent);

    internal void Drop()
    {
        try
        {
            _dropped.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already closed by its own request: nothing left to drop.
        }
    }

    internal void Stall() => Volatile.Write(ref _stalled, 1);

    public void Dispose()
    {
        _events.Writer.TryComplete();
        _onDispose(this);
        _dropped.Dispose();
    }
}
