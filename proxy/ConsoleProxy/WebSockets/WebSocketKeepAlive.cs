namespace ConsoleProxy.WebSockets;

/// <summary>
/// Pings the browser every interval so proxies and load balancers in between see traffic on idle
/// consoles, and drops a browser that stayed silent (no pong, no frame at all) for a whole
/// interval after a ping: a laptop that went to sleep must not hold a session and a VNC
/// connection until TCP gives up hours later.
/// </summary>
internal sealed class WebSocketKeepAlive : IDisposable
{
    private readonly WebSocketConnection _connection;
    private readonly ITimer _timer;
    private int _awaitingAnswer;

    public WebSocketKeepAlive(WebSocketConnection connection, TimeSpan interval, TimeProvider timeProvider)
    {
        _connection = connection;
        _timer = timeProvider.CreateTimer(static state => ((WebSocketKeepAlive)state!).Tick(), this, interval, interval);
    }

    public void HeardFromPeer() => Volatile.Write(ref _awaitingAnswer, 0);

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        if (Interlocked.Exchange(ref _awaitingAnswer, 1) == 1)
        {
            _timer.Dispose();
            _connection.Abort();
            return;
        }

        _ = _connection.TrySendPingAsync();
    }
}
