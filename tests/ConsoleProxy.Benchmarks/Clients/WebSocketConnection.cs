using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using ConsoleProxy.Benchmarks.Systems;

namespace ConsoleProxy.Benchmarks.Clients;

/// <summary>
/// A minimal RFC 6455 client straight on a socket, as lean as the plain TCP client the direct and
/// socat figures use, so the WebSocket figures measure the relay and not client layers
/// (ClientWebSocket over HttpClient's connection costs tens of microseconds a round trip). It
/// offers the `binary` subprotocol like noVNC, masks every frame with a fresh random key (as
/// browsers must) and reads the relay's frames out of one receive buffer, skipping pings. Driven
/// async, or blocking on a socket never used async. websockify and consoleproxy get the same client.
/// For a wss URL it speaks TLS first (SslStream), trusting only the proxy's own pinned certificate.
/// </summary>
public sealed class WebSocketConnection : IBenchConnection, IBlockingBenchConnection
{
    private readonly Socket _socket;
    private SslStream? _tls;
    private readonly byte[] _received;
    // Grown to the largest frame sent: thousands of live consoles only ever send 10-byte input events.
    private byte[] _sendBuffer = [];
    private int _start;
    private int _end;
    private long _payloadLeft;

    private WebSocketConnection(Socket socket, int receiveBufferSize)
    {
        _socket = socket;
        _received = new byte[receiveBufferSize];
    }

    public static async Task<IBenchConnection> ConnectAsync(Uri uri, int receiveBufferSize, ProxyCertificate? pinned, CancellationToken cancellationToken)
    {
        var connection = new WebSocketConnection(NewSocket(), receiveBufferSize);
        try
        {
            await connection._socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port), cancellationToken);
            if (uri.Scheme == "wss")
            {
                connection._tls = NewTls(connection._socket, pinned);
                await connection._tls.AuthenticateAsClientAsync(ClientOptions(uri), cancellationToken);
            }

            await connection.SendRawAsync(UpgradeRequest(uri), cancellationToken);
            while (!connection.TryReadResponseHead())
            {
                if (!await connection.FillAsync(cancellationToken))
                {
                    throw new InvalidOperationException("the relay closed the connection during the handshake");
                }
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static IBlockingBenchConnection Connect(Uri uri, int receiveBufferSize, ProxyCertificate? pinned)
    {
        var connection = new WebSocketConnection(NewSocket(), receiveBufferSize);
        try
        {
            connection._socket.Connect(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port));
            if (uri.Scheme == "wss")
            {
                connection._tls = NewTls(connection._socket, pinned);
                connection._tls.AuthenticateAsClient(ClientOptions(uri));
            }

            connection.SendRaw(UpgradeRequest(uri));
            while (!connection.TryReadResponseHead())
            {
                if (!connection.Fill())
                {
                    throw new InvalidOperationException("the relay closed the connection during the handshake");
                }
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The TLS version negotiated with the proxy (wss), null over plain ws: lets a check tell a wss figure
    /// really measured TLS and not a plaintext fallback.
    /// </summary>
    public SslProtocols? TlsProtocol => _tls?.SslProtocol;

    /// <summary>The cipher suite negotiated with the proxy (wss), null over plain ws.</summary>
    public TlsCipherSuite? TlsCipherSuite => _tls?.NegotiatedCipherSuite;

    public Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => SendRawAsync(Frame(data.Span), cancellationToken);

    private async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_tls is not null)
        {
            await _tls.WriteAsync(bytes, cancellationToken);
            return;
        }

        while (!bytes.IsEmpty)
        {
            bytes = bytes[await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken)..];
        }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(buffer.Span, buffer.Length, out var taken))
            {
                return taken;
            }

            if (!await FillAsync(cancellationToken))
            {
                return 0;
            }
        }
    }

    public void Send(ReadOnlySpan<byte> data) => SendRaw(Frame(data).Span);

    private void SendRaw(ReadOnlySpan<byte> bytes)
    {
        if (_tls is not null)
        {
            _tls.Write(bytes);
            return;
        }

        while (!bytes.IsEmpty)
        {
            bytes = bytes[_socket.Send(bytes)..];
        }
    }

    public int Receive(Span<byte> buffer) => ReceiveBlocking(buffer, buffer.Length);

    public int Skip(int limit) => ReceiveBlocking(default, limit);

    public void Abort()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose()
    {
        _tls?.Dispose();
        _socket.Dispose();
    }

    private static SslStream NewTls(Socket socket, ProxyCertificate? pinned)
    {
        var trusted = pinned ?? throw new ArgumentException("a wss URL needs the proxy's certificate to trust", nameof(pinned));
        return new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, presented, _, _) => trusted.IsPresented(presented));
    }

    private static SslClientAuthenticationOptions ClientOptions(Uri uri) => new() { TargetHost = uri.Host };

    private static Socket NewSocket() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private static byte[] UpgradeRequest(Uri uri)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        return Encoding.ASCII.GetBytes($"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n");
    }

    /// <summary>One masked binary frame around <paramref name="data"/>, in the send buffer.</summary>
    private ReadOnlyMemory<byte> Frame(ReadOnlySpan<byte> data)
    {
        var headerLength = data.Length < 126 ? 6 : data.Length <= ushort.MaxValue ? 8 : 14;
        if (_sendBuffer.Length < headerLength + data.Length)
        {
            _sendBuffer = new byte[headerLength + data.Length];
        }

        var frame = _sendBuffer.AsSpan(0, headerLength + data.Length);
        frame[0] = 0x82;
        if (headerLength == 6)
        {
            frame[1] = (byte)(0x80 | data.Length);
        }
        else if (headerLength == 8)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)data.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame[2..], (ulong)data.Length);
        }

        var key = (uint)Random.Shared.NextInt64(uint.MaxValue + 1L);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[(headerLength - 4)..], key);
        Mask(data, frame[headerLength..], key);
        return _sendBuffer.AsMemory(0, headerLength + data.Length);
    }

    // Written apart from the proxy's PayloadMask on purpose: the load generator must not share the
    // code it measures (a bug there would cancel out instead of showing).
    private static void Mask(ReadOnlySpan<byte> source, Span<byte> destination, uint key)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
        {
            var mask = Vector.AsVectorByte(new Vector<uint>(key));
            var from = MemoryMarshal.Cast<byte, Vector<byte>>(source);
            var to = MemoryMarshal.Cast<byte, Vector<byte>>(destination);
            for (var v = 0; v < from.Length; v++)
            {
                to[v] = from[v] ^ mask;
            }

            i = from.Length * Vector<byte>.Count;
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ (key >> (8 * (i & 3))));
        }
    }

    /// <summary>Takes payload, copying it into <paramref name="destination"/> unless that is empty; waits for at least one byte.</summary>
    private int ReceiveBlocking(Span<byte> destination, int limit)
    {
        while (true)
        {
            if (TryTake(destination, limit, out var taken))
            {
                return taken;
            }

            if (!Fill())
            {
                return 0;
            }
        }
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> payload bytes from what was received, copying them into
    /// <paramref name="destination"/> unless that is empty; false when more bytes are needed. A close frame takes 0.
    /// </summary>
    private bool TryTake(Span<byte> destination, int limit, out int taken)
    {
        taken = 0;
        while (true)
        {
            if (_payloadLeft > 0)
            {
                if (_end == _start)
                {
                    return false;
                }

                taken = (int)Math.Min(Math.Min(_payloadLeft, _end - _start), limit);
                if (!destination.IsEmpty)
                {
                    _received.AsSpan(_start, taken).CopyTo(destination);
                }

                _start += taken;
                _payloadLeft -= taken;
                return true;
            }

            var available = _received.AsSpan(_start, _end - _start);
            if (available.Length < 2)
            {
                return false;
            }

            var headerLength = (available[1] & 0x7F) switch { 126 => 4, 127 => 10, _ => 2 };
            if (available.Length < headerLength)
            {
                return false;
            }

            var length = headerLength switch
            {
                4 => BinaryPrimitives.ReadUInt16BigEndian(available[2..]),
                10 => (long)BinaryPrimitives.ReadUInt64BigEndian(available[2..]),
                _ => available[1] & 0x7F,
            };
            var opcode = available[0] & 0x0F;
            if (opcode >= 0x8)
            {
                // Control frames are taken whole: a close ends the reading, pings are skipped.
                if (available.Length < headerLength + length)
                {
                    return false;
                }

                _start += headerLength + (int)length;
                if (opcode == 0x8)
                {
                    return true;
                }

                continue;
            }

            _start += headerLength;
            _payloadLeft = length;
        }
    }

    private bool TryReadResponseHead()
    {
        var text = Encoding.ASCII.GetString(_received, 0, _end);
        var endOfHead = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (endOfHead < 0)
        {
            return false;
        }

        if (!text.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the relay refused the upgrade: {text[..text.IndexOf('\r', StringComparison.Ordinal)]}");
        }

        _start = endOfHead + 4;
        return true;
    }

    private bool Fill()
    {
        Compact();
        var read = _tls is null ? _socket.Receive(_received.AsSpan(_end)) : _tls.Read(_received.AsSpan(_end));
        _end += read;
        return read > 0;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        Compact();
        var read = _tls is null
            ? await _socket.ReceiveAsync(_received.AsMemory(_end), SocketFlags.None, cancellationToken)
            : await _tls.ReadAsync(_received.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }

    /// <summary>Moves what is left (a partial header) to the front, so a receive always has room.</summary>
    private void Compact()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            _received.AsSpan(_start, _end - _start).CopyTo(_received);
            _end -= _start;
            _start = 0;
        }

        if (_end == _received.Length)
        {
            throw new InvalidOperationException("the receive buffer is full of an unfinished frame header");
        }
    }
}
