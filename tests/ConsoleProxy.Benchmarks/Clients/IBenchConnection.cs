namespace ConsoleProxy.Benchmarks.Clients;

/// <summary>One client connection to a VNC target, directly or through a WebSocket proxy.</summary>
public interface IBenchConnection : IDisposable
{
    Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Bytes read into <paramref name="buffer"/>; 0 when the other side closed.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Drops the connection at once (no close handshake: the benchmark is not measuring closes).</summary>
    void Abort();
}
