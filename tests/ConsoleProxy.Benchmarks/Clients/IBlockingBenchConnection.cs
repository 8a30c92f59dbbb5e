namespace ConsoleProxy.Benchmarks.Clients;

/// <summary>
/// One connection driven by a thread of its own with blocking calls: the load generator for the
/// throughput and round-trip figures. A blocked thread wakes straight from the system call, with
/// no event loop or thread-pool hop of ours in between, so the figures measure the relay and not
/// the measuring side (the loopback limit this way matches the issue's own direct figures).
/// </summary>
public interface IBlockingBenchConnection : IDisposable
{
    /// <summary>Sends one message (one WebSocket frame through a relay).</summary>
    void Send(ReadOnlySpan<byte> data);

    /// <summary>Payload bytes read into <paramref name="buffer"/>, waiting for at least one; 0 when the other side closed.</summary>
    int Receive(Span<byte> buffer);

    /// <summary>
    /// Reads up to <paramref name="limit"/> payload bytes and drops them, waiting for at least one;
    /// 0 when the other side closed. What a throughput reader needs: no copy beyond the socket's own.
    /// </summary>
    int Skip(int limit);

    /// <summary>Drops the connection at once; a thread blocked in it returns with an error.</summary>
    void Abort();
}
