using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ConsoleProxy.Benchmarks.Clients;

/// <summary>
/// A minimal RFC 6455 client over a blocking socket, as lean as a load generator should be: it
/// offers the `binary` subprotocol like noVNC, masks every frame it sends with a fresh random key
/// (as browsers must), and reads the relay's frames out of one receive buffer, copying payload
/// only once. Both relays get exactly the same client.
/// </summary>
public sealed class BlockingWebSocketConnection : IBlockingBenchConnection
{
    private const int ReceiveBufferSize = 256 * 1024;

    private readonly Socket _socket;
    private readonly byte[] _received = new byte[ReceiveBufferSize];
    private byte[] _sendBuffer = new byte[14 + 64 * 1024];
    private int _start;
    private int _end;
    private long _payloadLeft;

    private BlockingWebSocketConnection(Socket socket) => _socket = socket;

    /// <summary>Opens the connection and completes the handshake; throws when the relay does not answer 101.</summary>
    public static BlockingWebSocketConnection Connect(Uri uri)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new BlockingWebSocketConnection(socket);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port));
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n";
            socket.Send(Encoding.ASCII.GetBytes(request));
            connection.ReadResponseHead();
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> data)
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

        var key = (uint)Random.Shared.Next() | ((uint)Random.Shared.Next(2) << 31);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[(headerLength - 4)..], key);
        Mask(data, frame[headerLength..], key);
        while (!frame.IsEmpty)
        {
            frame = frame[_socket.Send(frame)..];
        }
    }

    public int Receive(Span<byte> buffer)
    {
        while (true)
        {
            if (_payloadLeft > 0 && _end > _start)
            {
                var take = (int)Math.Min(Math.Min(_payloadLeft, _end - _start), buffer.Length);
                _received.AsSpan(_start, take).CopyTo(buffer);
                _start += take;
                _payloadLeft -= take;
                return take;
            }

            if (_payloadLeft == 0 && TryReadHeader(out var opcode, out var length))
            {
                if (opcode == 0x8)
                {
                    return 0;
                }

                // Pings and pongs are skipped like data the benchmark does not count.
                _payloadLeft = opcode is 0x9 or 0xA ? 0 : length;
                if (opcode is 0x9 or 0xA)
                {
                    _start += (int)length;
                }

                continue;
            }

            if (!Fill())
            {
                return 0;
            }
        }
    }

    public void Abort()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();

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

    private bool TryReadHeader(out int opcode, out long length)
    {
        opcode = 0;
        length = 0;
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

        length = headerLength switch
        {
            4 => BinaryPrimitives.ReadUInt16BigEndian(available[2..]),
            10 => (long)BinaryPrimitives.ReadUInt64BigEndian(available[2..]),
            _ => available[1] & 0x7F,
        };
        opcode = available[0] & 0x0F;
        if (opcode >= 0x8 && available.Length < headerLength + length)
        {
            return false;
        }

        _start += headerLength;
        return true;
    }

    /// <summary>Reads more bytes, first moving a partial header to the front; false when the relay closed.</summary>
    private bool Fill()
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

        var read = _socket.Receive(_received.AsSpan(_end));
        _end += read;
        return read > 0;
    }

    private void ReadResponseHead()
    {
        var head = new StringBuilder();
        while (true)
        {
            var read = _socket.Receive(_received.AsSpan(_end));
            if (read == 0)
            {
                throw new InvalidOperationException("the relay closed the connection during the handshake");
            }

            _end += read;
            var text = Encoding.ASCII.GetString(_received, 0, _end);
            var endOfHead = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (endOfHead < 0)
            {
                continue;
            }

            if (!text.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the relay refused the upgrade: {text[..text.IndexOf('\r', StringComparison.Ordinal)]}");
            }

            _start = endOfHead + 4;
            return;
        }
    }
}
