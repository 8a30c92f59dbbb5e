using System.Net.Sockets;

namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// Sends one live console's screen updates from the target's socket: the session's own 8-byte header and the
/// shared filler after it, in one gathered send tried without blocking on the calling thread (the pacing wheel's,
/// usually). Only what the socket does not take at once (backpressure) goes on asynchronously, so the usual
/// update costs one sendmsg and allocates nothing. <see cref="PacedSends"/> runs one send at a time per session,
/// so the header and the segment list are never shared between two sends.
/// </summary>
public sealed class UpdateSender
{
    private readonly Socket _socket;
    private readonly byte[] _filler;
    private readonly byte[] _header = new byte[ConsoleMessages.UpdateHeaderLength];
    private readonly List<ArraySegment<byte>> _segments;

    public UpdateSender(Socket socket, byte[] filler)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(filler);
        _socket = socket;
        _filler = filler;
        _segments = [_header, default];

        // A send the socket cannot take at once returns WouldBlock instead of holding the wheel's thread.
        _socket.Blocking = false;
    }

    /// <summary>Sends an update of <paramref name="length"/> bytes (header included) stamped with <paramref name="sentMicros"/>.</summary>
    public ValueTask SendAsync(uint sentMicros, int length)
    {
        ConsoleMessages.WriteUpdateHeader(_header, length, sentMicros);
        _segments[1] = new ArraySegment<byte>(_filler, 0, length - _header.Length);
        var sent = _socket.Send(_segments, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            sent = 0;
        }
        else if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }

        return sent == length ? ValueTask.CompletedTask : SendRestAsync(length, sent);
    }

    private async ValueTask SendRestAsync(int length, int sent)
    {
        // The rest in one buffer of its own: the async send may outlive this call, and the header is rewritten by the next.
        var whole = new byte[length];
        _header.CopyTo(whole, 0);
        _filler.AsSpan(0, length - _header.Length).CopyTo(whole.AsSpan(_header.Length));
        var rest = whole.AsMemory(sent);
        while (!rest.IsEmpty)
        {
            rest = rest[await _socket.SendAsync(rest, SocketFlags.None)..];
        }
    }
}
