using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ConsoleProxy.Tests.Support;

/// <summary>
/// A hand-written WebSocket client for the frames ClientWebSocket will not send (a close frame
/// without a status code, as browsers send it).
/// </summary>
public sealed class RawWebSocketClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocketClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawWebSocketClient> ConnectAsync(int port, string pathAndQuery)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var client = new RawWebSocketClient(tcp);
        var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await client._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = await client.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
        return client;
    }

    /// <summary>Writes bytes as they are: for frames no well-behaved client would send.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    /// <summary>
    /// Reads (and discards) until the server ends the TCP connection; false when it is still open
    /// after <paramref name="within"/>.
    /// </summary>
    public async Task<bool> WaitForServerToCloseAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var discard = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(discard, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task SendCloseAsync(ushort? status)
    {
        var payload = status is null ? [] : new byte[2];
        if (status is not null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload, status.Value);
        }

        // FIN + close opcode, masked (clients must mask) with a zero key so the payload reads as is.
        byte[] frame = [0x88, (byte)(0x80 | payload.Length), 0, 0, 0, 0, .. payload];
        await _stream.WriteAsync(frame);
    }

    /// <summary>Skips data frames until a close frame; returns its payload (status code + reason).</summary>
    public async Task<byte[]> ReceiveCloseAsync()
    {
        while (true)
        {
            var (opcode, payload) = await ReceiveFrameAsync();
            if (opcode == 0x8)
            {
                return payload;
            }
        }
    }

    /// <summary>Reads one frame and returns its opcode (0x9 ping, 0xA pong, 0x8 close, ...).</summary>
    public async Task<int> ReceiveOpcodeAsync() => (await ReceiveFrameAsync()).Opcode;

    private async Task<(int Opcode, byte[] Payload)> ReceiveFrameAsync()
    {
        using var timeout = new CancellationTokenSource(ProxyClient.Timeout);
        var header = new byte[2];
        await _stream.ReadExactlyAsync(header, timeout.Token);
        long length = header[1] & 0x7F;
        if (length == 126)
        {
            var extended = new byte[2];
            await _stream.ReadExactlyAsync(extended, timeout.Token);
            length = BinaryPrimitives.ReadUInt16BigEndian(extended);
        }
        else if (length == 127)
        {
            var extended = new byte[8];
            await _stream.ReadExactlyAsync(extended, timeout.Token);
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(extended);
        }

        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload, timeout.Token);
        return (header[0] & 0x0F, payload);
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string> ReadHeadAsync()
    {
        using var timeout = new CancellationTokenSource(ProxyClient.Timeout);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await _stream.ReadExactlyAsync(one, timeout.Token);
            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
