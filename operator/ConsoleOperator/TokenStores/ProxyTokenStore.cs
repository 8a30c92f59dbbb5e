using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Kube.Runtime;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;

namespace ConsoleOperator.TokenStores;

/// <summary>
/// The open connection to one ConsoleProxy's token store, shared by every token of that proxy, with the store's
/// data epoch: a number that changes whenever the store is found to have lost its data (or is a new connection),
/// so a token confirmed present in an older epoch is checked again.
/// </summary>
public sealed class ProxyTokenStore : IAsyncDisposable
{
    private readonly RedisTokenStore _store;
    private long _epoch;
    private long _proxyGeneration;

    internal ProxyTokenStore(ObjectKey proxy, string proxyUid, long proxyGeneration, TokenStoreEndpoint endpoint, TokenStoreOptions options, RedisTokenStore store, long epoch, TimeProvider timeProvider)
    {
        Sessions = new SessionDirectory(store, timeProvider, options.OperationTimeout);
        Proxy = proxy;
        ProxyUid = proxyUid;
        _proxyGeneration = proxyGeneration;
        Endpoint = endpoint;
        Options = options;
        _store = store;
        _epoch = epoch;
    }

    public ObjectKey Proxy { get; }

    /// <summary>The proxy's token store as it was resolved when these options were (named in messages about the store).</summary>
    public TokenStoreEndpoint Endpoint { get; }

    public TokenStoreOptions Options { get; }

    public ITokenStore Store => _store;

    /// <summary>The live sessions the proxy's pods publish in this store (read on the same connection).</summary>
    public SessionDirectory Sessions { get; }

    /// <summary>The current data epoch; unique across every store of the process.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    internal string ProxyUid { get; }

    /// <summary>The ConsoleProxy generation these options were resolved for; -1 when they must be resolved again.</summary>
    internal long ProxyGeneration
    {
        get => Interlocked.Read(ref _proxyGeneration);
        set => Interlocked.Exchange(ref _proxyGeneration, value);
    }

    /// <summary>Makes the next lookup resolve the settings again (the connection stays if they come out the same).</summary>
    internal void Invalidate() => ProxyGeneration = -1;

    internal void StartEpoch(long next) => Interlocked.Exchange(ref _epoch, next);

    /// <summary>The last refusal check (<see cref="ProxyTokenStores.FindRefusalAsync"/>): when, and what it found.</summary>
    internal (DateTimeOffset At, TokenStoreRefusedException? Refusal)? LastRefusalCheck { get; set; }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
