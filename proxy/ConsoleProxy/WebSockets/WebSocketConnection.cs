using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.WebSockets;

/// <summary>
/// The server end of one upgraded WebSocket connection, framed by hand over the transport's own
/// pipes. Doing it ourselves is what makes the relay cheap: frames towards the browser are built
/// in place in Kestrel's output buffer, the VNC server's bytes read straight in behind the header
/// (<see cref="SendFromAsync"/>), and the browser's frames are unmasked in place in Kestrel's input
/// buffer and sent to the VNC server from there (<see cref="ReceiveToAsync"/>); we copy no byte
/// either way. <see cref="ReceiveAsync"/> unmasks into the caller's buffer instead, for a caller
/// that must rewrite the stream (view-only filtering).
/// One reader (the client-to-server pump) and any number of writers (the relay, keep-alive pings,
/// pong answers, the close) share the connection: writes take turns on a lock.
/// </summary>
public sealed class WebSocketConnection : IDisposable
{
    // Most bytes read from the VNC server in one frame: a 4-byte header covers it, so the payload can
    // be read in place before its length is known (a shorter payload moves 2 bytes to the left).
    private const int MaxRelayFramePayload = ushort.MaxValue;

    // Least room asked of the output pipe per relay frame: when the current block has less left, the
    // frame starts a new one (blocks are 128 KiB, so a burst fills each with frames of up to 64 KiB).
    private const int RelayFrameRoom = 16 * 1024;

    // Bytes framed before flushing (a flush is a send system call): a burst leaves in few large sends.
    private const int FlushThreshold = 256 * 1024;

    // Most bytes one call relays before giving the lock (pings, the close) and the session's
    // activity clock their turn, however fast the VNC server keeps sending; the same cap bounds one
    // in-place receive towards the VNC server.
    private const int MaxBatch = 1024 * 1024;

    private const int NoPendingPong = -1;

    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Action _abortTransport;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly WebSocketKeepAlive? _keepAlive;

    // Receive state: where we are inside the current data frame and message.
    private long _payloadRemaining;
    private uint _maskKey;
    private int _maskOffset;
    private bool _inMessage;
    // The body of a ping still to answer (a later ping replaces it, RFC 6455 5.5.3); taken at the first ping, since
    // browsers seldom send any and each idle session would hold it.
    private byte[]? _pongBody;

    private int _pendingPongLength = NoPendingPong;

    // ReceiveToAsync's unmasked payload pieces in the input buffer, and the same as arrays for one gathered send.
    private readonly List<ReadOnlyMemory<byte>> _payload = [];
    private readonly List<ArraySegment<byte>> _gathered = [];

    private bool _closeSent;
    private volatile bool _closeReceived;
    private volatile bool _broken;

    /// <param name="input">The browser's bytes, after the upgrade.</param>
    /// <param name="output">Towards the browser, after the upgrade.</param>
    /// <param name="abortTransport">Drops the connection at once (<see cref="Abort"/>: the keep-alive's verdict on a dead peer).</param>
    /// <param name="pingInterval">Zero for no pings.</param>
    public WebSocketConnection(PipeReader input, PipeWriter output, Action abortTransport, TimeSpan pingInterval, TimeProvider timeProvider)
    {
        _input = input;
        _output = output;
        _abortTransport = abortTransport;
        if (pingInterval > TimeSpan.Zero)
        {
            _keepAlive = new WebSocketKeepAlive(this, pingInterval, timeProvider);
        }
    }

    /// <summary>The browser sent its close frame; <see cref="CloseStatus"/> says with what.</summary>
    public bool CloseReceived => _closeReceived;

    /// <summary>Our close frame is on its way; no data frame follows it.</summary>
    public bool CloseSent => Volatile.Read(ref _closeSent);

    /// <summary>Reading or writing the connection failed, or it was aborted: nothing more can be said on it.</summary>
    public bool IsBroken => _broken;

    /// <summary>Whether a close frame can still be sent.</summary>
    public bool CanSendClose => !_broken && !CloseSent;

    /// <summary>The browser's close code, null until its close frame arrived or when it carried none.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    /// <summary>The protocol violation that ended the connection, if one did.</summary>
    public WebSocketProtocolException? Violation { get; private set; }

    /// <summary>
    /// Waits until the browser has sent something (or its connection ended) without taking any of
    /// it: the bytes stay in the transport's buffer, so an idle session holds no buffer of ours.
    /// Returns how many bytes are waiting (frame headers included); 0 with <see cref="IsBroken"/> when the connection
    /// failed (a reset is how a session ends, not an error to throw), and 0 when <see cref="CancelPendingWait"/> ended
    /// the wait. The wait watches no token: an idle session waits here for hours, and a token registration per wait
    /// is one more object each idle session holds; its owner ends the wait with <see cref="CancelPendingWait"/>, from
    /// the one registration it keeps for the whole session.
    /// </summary>
    public async ValueTask<long> WaitToReceiveAsync()
    {
        if (_broken)
        {
            return 0;
        }

        // The pipe's read awaited here directly, not through ReadInputAsync: one state machine fewer held by each
        // idle session while it waits.
        ReadResult result;
        try
        {
            result = await _input.ReadAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _broken = true;
            return 0;
        }

        if (result.IsCanceled)
        {
            _input.AdvanceTo(result.Buffer.Start);
            return 0;
        }

        var waiting = result.Buffer.Length;

        // Nothing consumed, nothing examined: the next read returns the same bytes at once.
        _input.AdvanceTo(result.Buffer.Start);
        return waiting;
    }

    /// <summary>
    /// Reads the data the browser has sent, unmasked, into <paramref name="destination"/>, across
    /// frames and messages (the RFB stream has no message boundaries of its own); waits only if
    /// nothing at all has arrived. Returns the data bytes written: 0 when what arrived was only
    /// control frames or part of a header, after the browser's close frame
    /// (<see cref="CloseReceived"/>), and once the connection ended without one or failed
    /// (<see cref="IsBroken"/>). Pings are answered on the way. A protocol violation sends the
    /// matching close frame and throws <see cref="WebSocketProtocolException"/>.
    /// </summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            throw new ArgumentException("the destination has no room", nameof(destination));
        }

        return ReceiveCoreAsync(destination, null, null, cancellationToken);
    }

    /// <summary>
    /// Reads the data the browser has sent and writes it to <paramref name="target"/>, unmasked in
    /// place in the transport's input buffer and sent from there in one gathered send: the bytes
    /// are not copied by us at all. Otherwise as <see cref="ReceiveAsync"/>: across frames and
    /// messages, at most 1 MiB per call, pings answered on the way, 0 when only control frames or
    /// part of a header arrived, after the browser's close frame and once the connection is broken; a violation sends the
    /// matching close frame and throws <see cref="WebSocketProtocolException"/>. The input buffer
    /// is released only once the send is done, so the browser's bytes wait in it while the VNC
    /// server is slow (backpressure). Cancelling closes <paramref name="target"/>: a gathered send
    /// takes no token, and the session is ending anyway.
    /// </summary>
    public ValueTask<int> ReceiveToAsync(Socket target, CancellationToken cancellationToken) =>
        ReceiveCoreAsync(Memory<byte>.Empty, target, null, cancellationToken);

    /// <summary>
    /// As <see cref="ReceiveToAsync(Socket, CancellationToken)"/>, for a target reached through a stream (TLS to the
    /// VNC server): the unmasked pieces are written in turn, then flushed.
    /// </summary>
    public ValueTask<int> ReceiveToAsync(Stream target, CancellationToken cancellationToken) =>
        ReceiveCoreAsync(Memory<byte>.Empty, null, target, cancellationToken);

    /// <summary>
    /// Both receives: parse what arrived into <paramref name="destination"/>, or in place when there is
    /// a <paramref name="target"/> to send it to, then release what was consumed.
    /// </summary>
    private async ValueTask<int> ReceiveCoreAsync(Memory<byte> destination, Socket? target, Stream? targetStream, CancellationToken cancellationToken)
    {
        if (_closeReceived || _broken || await ReadInputAsync(cancellationToken) is not { } result)
        {
            return 0;
        }

        var buffer = result.Buffer;
        int written;
        bool full;
        _payload.Clear();
        try
        {
            (written, full) = Parse(ref buffer, destination.Span, target is null && targetStream is null ? null : _payload);
        }
        catch (WebSocketProtocolException violation)
        {
            _input.AdvanceTo(result.Buffer.End);
            Violation = violation;
            await TrySendCloseAsync(violation.Status, violation.Message, cancellationToken);
            throw;
        }

        try
        {
            if (target is not null)
            {
                await SendPayloadAsync(target, cancellationToken);
            }
            else if (targetStream is not null && _payload.Count > 0)
            {
                foreach (var piece in _payload)
                {
                    await targetStream.WriteAsync(piece, cancellationToken);
                }

                await targetStream.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            // Only after the send may the pipe reuse the blocks the payload was sent from. When the
            // room ran out, what is left is unread, not merely looked at: the next read must return
            // at once instead of waiting for more bytes to arrive.
            _input.AdvanceTo(buffer.Start, full ? buffer.Start : result.Buffer.End);
        }

        if (_pendingPongLength != NoPendingPong)
        {
            await SendPongAsync(cancellationToken);
        }

        if (written == 0 && result.IsCompleted && !_closeReceived)
        {
            // The browser's connection ended without a close frame: an outcome the caller reads from IsBroken.
            _broken = true;
        }

        return written;
    }

    /// <summary>
    /// Reads what <paramref name="source"/> has (it should be readable: the caller waited for it)
    /// and sends it to the browser as binary frames, each read straight into the output buffer;
    /// keeps going while the socket has more, then flushes. Returns the payload bytes sent, 0 when
    /// the source had reached its end or <paramref name="cancellationToken"/> ended the wait for its turn. Waits
    /// while the browser is slower than the source (the output pipe's limit is the relay's backpressure). <paramref name="cancellationToken"/> cancels the waits
    /// for the browser; reading <paramref name="source"/> is ended by shutting it down.
    /// </summary>
    public ValueTask<int> SendFromAsync(Socket source, CancellationToken cancellationToken) =>
        SendFromCoreAsync(source, null, cancellationToken);

    /// <summary>
    /// As <see cref="SendFromAsync(Socket, CancellationToken)"/>, from a stream (TLS from the VNC server) over
    /// <paramref name="under"/>: a TLS read returns one record (16 KiB at most), so the reads go on while the socket
    /// under the stream has more bytes waiting (the next record is there: the read does not wait for the VNC server),
    /// each record a frame, flushed as the socket path flushes (every 256 KiB and at the end), not once a record.
    /// A stream cannot say whether it holds more already decrypted: the caller's wait (a zero-byte read) returns at
    /// once then.
    /// </summary>
    public ValueTask<int> SendFromAsync(Stream source, Socket under, CancellationToken cancellationToken) =>
        SendFromCoreAsync(under, source, cancellationToken);

    /// <summary>
    /// Sends <paramref name="data"/> to the browser as one binary frame: the few bytes the proxy itself says in RFB
    /// (the security handshake it answers when it negotiates with the VNC server on the browser's behalf).
    /// </summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_closeSent)
            {
                throw new InvalidOperationException("the close frame was sent already");
            }

            var headerLength = ServerFrameHeader.LengthFor(data.Length);
            var memory = _output.GetMemory(headerLength + data.Length);
            ServerFrameHeader.Write(memory.Span, WebSocketOpcode.Binary, data.Length);
            data.Span.CopyTo(memory.Span[headerLength..]);
            _output.Advance(headerLength + data.Length);
            if (!await FlushAsync(cancellationToken))
            {
                throw new IOException("the browser's connection is closed");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <param name="source">The socket read, or the socket under <paramref name="sourceStream"/> (asked only whether more is waiting).</param>
    private async ValueTask<int> SendFromCoreAsync(Socket source, Stream? sourceStream, CancellationToken cancellationToken)
    {
        // The relay's abort can come while this waits for its turn (the browser's reset fires it from Kestrel's
        // thread): that is the session's end, an outcome, so the wait's cancellation is observed, not thrown (it
        // would be thrown again at each await above). Nothing was sent: 0, and the caller sees its token cancelled.
        var turn = _writeLock.WaitAsync(cancellationToken);
        await turn.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!turn.IsCompletedSuccessfully)
        {
            return 0;
        }

        try
        {
            if (_closeSent)
            {
                throw new InvalidOperationException("the close frame was sent already");
            }

            var total = 0;
            var unflushed = 0;
            bool more;
            do
            {
                var memory = _output.GetMemory(RelayFrameRoom);
                var room = Math.Min(memory.Length - 4, MaxRelayFramePayload);
                // The socket's read takes no token: its owner ends it by shutting the socket down (a read then
                // returns 0), since a cancelled socket read throws, and the end of a session is not an error.
                var read = sourceStream is null
                    ? await source.ReceiveAsync(memory.Slice(4, room), SocketFlags.None, CancellationToken.None)
                    : await sourceStream.ReadAsync(memory.Slice(4, room), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                var frame = memory.Span;
                var headerLength = ServerFrameHeader.LengthFor(read);
                if (headerLength == 2)
                {
                    frame.Slice(4, read).CopyTo(frame[2..]);
                }

                ServerFrameHeader.Write(frame, WebSocketOpcode.Binary, read);
                _output.Advance(headerLength + read);
                total += read;
                unflushed += read;
                if (unflushed >= FlushThreshold)
                {
                    unflushed = 0;
                    if (!await FlushAsync(cancellationToken))
                    {
                        return total;
                    }
                }

                // A read that did not fill its room emptied the socket: no need to ask (a system
                // call) whether more is there; what arrives later wakes the caller's wait instead. A TLS read stops
                // at its record's end whatever is waiting, so there only the socket under it can say.
                more = (sourceStream is not null || read == room) && total < MaxBatch && source.Available > 0;
            }
            while (more);

            if (unflushed > 0)
            {
                await FlushAsync(cancellationToken);
            }

            // A failed flush leaves IsBroken set for the caller to see; the bytes it read count all the same.
            return total;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Sends our close frame (once); the browser's answer arrives through <see cref="ReceiveAsync"/>. False when it
    /// could not go out: sent already, or the connection is broken (<see cref="IsBroken"/>).
    /// </summary>
    public async ValueTask<bool> CloseOutputAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken)
    {
        var body = new byte[ClientFrameHeader.MaxControlPayload];
        var length = ClosePayload.Write(body, status, description);
        return await SendControlFrameAsync(WebSocketOpcode.Close, body.AsMemory(0, length), cancellationToken);
    }

    /// <summary>Ends a <see cref="WaitToReceiveAsync"/> under way (or the next one), which then returns 0.</summary>
    public void CancelPendingWait() => _input.CancelPendingRead();

    /// <summary>Drops the connection without a close handshake.</summary>
    public void Abort()
    {
        _broken = true;
        _abortTransport();
    }

    // The write lock is not disposed: it never allocated a wait handle, and a ping still finishing
    // on the timer's thread must be able to release it.
    public void Dispose() => _keepAlive?.Dispose();

    /// <summary>Sends a ping with an empty body, unless the connection is closing; false when it could not.</summary>
    internal async Task<bool> TrySendPingAsync()
    {
        if (_broken)
        {
            return false;
        }

        try
        {
            return await SendControlFrameAsync(WebSocketOpcode.Ping, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// The next read of the browser's bytes; null when the connection failed (a reset: the transport completes its
    /// pipe with the error, which the pipe throws once; it goes no further than here, since the end of a session is
    /// an outcome, not an error, and each rethrow through the layers above cost tens of microseconds a session).
    /// </summary>
    private async ValueTask<ReadResult?> ReadInputAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _input.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _broken = true;
            return null;
        }
    }

    private async ValueTask TrySendCloseAsync(WebSocketCloseStatus status, string description, CancellationToken cancellationToken)
    {
        try
        {
            await CloseOutputAsync(status, description, cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The browser is gone as well; the violation is reported all the same.
        }
    }

    /// <summary>
    /// Consumes frames from <paramref name="buffer"/> (left at the first unconsumed byte), unmasking
    /// data payload into <paramref name="destination"/>, or, given <paramref name="inPlace"/>, where
    /// it lies in the buffer, listing the pieces there (up to 1 MiB). Returns the payload bytes and
    /// whether the room ran out with payload still waiting.
    /// </summary>
    private (int Written, bool Full) Parse(ref ReadOnlySequence<byte> buffer, Span<byte> destination, List<ReadOnlyMemory<byte>>? inPlace = null)
    {
        var written = 0;
        Span<byte> control = stackalloc byte[ClientFrameHeader.MaxControlPayload];
        while (!_closeReceived)
        {
            if (_payloadRemaining > 0)
            {
                var room = inPlace is null ? destination.Length - written : MaxBatch - written;
                var take = (int)Math.Min(Math.Min(_payloadRemaining, buffer.Length), room);
                if (take == 0)
                {
                    return (written, !buffer.IsEmpty);
                }

                foreach (var segment in buffer.Slice(0, take))
                {
                    if (inPlace is null)
                    {
                        _maskOffset = PayloadMask.Apply(segment.Span, destination[written..], _maskKey, _maskOffset);
                    }
                    else
                    {
                        // Unmasked where it lies: these bytes are consumed by this call (the caller
                        // advances past them), so nothing ever reads them again as masked.
                        var payload = MemoryMarshal.AsMemory(segment).Span;
                        _maskOffset = PayloadMask.Apply(payload, payload, _maskKey, _maskOffset);
                        inPlace.Add(segment);
                    }

                    written += segment.Length;
                }

                buffer = buffer.Slice(take);
                _payloadRemaining -= take;
                continue;
            }

            if (!ClientFrameHeader.TryRead(buffer, out var header))
            {
                break;
            }

            // Any frame is a sign of life, as good as the pong the keep-alive waits for.
            _keepAlive?.HeardFromPeer();
            if (header.IsControl)
            {
                if (buffer.Length < header.Length + header.PayloadLength)
                {
                    break;
                }

                var payload = control[..(int)header.PayloadLength];
                buffer.Slice(header.Length, header.PayloadLength).CopyTo(payload);
                PayloadMask.Apply(payload, payload, header.MaskKey, 0);
                buffer = buffer.Slice(header.Length + header.PayloadLength);
                OnControlFrame(header.Opcode, payload);
                continue;
            }

            if (header.Opcode == WebSocketOpcode.Text)
            {
                throw new WebSocketProtocolException(WebSocketCloseStatus.InvalidMessageType, "binary frames only");
            }

            if ((header.Opcode == WebSocketOpcode.Continuation) != _inMessage)
            {
                throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, _inMessage ? "a new message began before the last one ended" : "continuation frame without a message to continue");
            }

            _inMessage = !header.IsFinal;
            _payloadRemaining = header.PayloadLength;
            _maskKey = header.MaskKey;
            _maskOffset = 0;
            buffer = buffer.Slice(header.Length);
        }

        return (written, false);
    }

    private void OnControlFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        switch (opcode)
        {
            case WebSocketOpcode.Ping:
                // Answered once the input is released.
                _pongBody ??= new byte[ClientFrameHeader.MaxControlPayload];
                payload.CopyTo(_pongBody);
                _pendingPongLength = payload.Length;
                break;
            case WebSocketOpcode.Close:
                (CloseStatus, CloseDescription) = ClosePayload.Parse(payload);
                _closeReceived = true;
                break;
        }
    }

    private async ValueTask SendPongAsync(CancellationToken cancellationToken)
    {
        var length = _pendingPongLength;
        _pendingPongLength = NoPendingPong;
        await SendControlFrameAsync(WebSocketOpcode.Pong, _pongBody.AsMemory(0, length), cancellationToken);
    }

    /// <summary>
    /// Writes one control frame and flushes it, taking its turn on the write lock; nothing goes out
    /// after our close frame (false then).
    /// </summary>
    private async ValueTask<bool> SendControlFrameAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_closeSent)
            {
                return false;
            }

            _closeSent = opcode == WebSocketOpcode.Close;
            var span = _output.GetSpan(2 + payload.Length);
            var headerLength = ServerFrameHeader.Write(span, opcode, payload.Length);
            payload.Span.CopyTo(span[headerLength..]);
            _output.Advance(headerLength + payload.Length);
            return await FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends the unmasked payload pieces <see cref="Parse"/> collected, all of them.</summary>
    private async ValueTask SendPayloadAsync(Socket target, CancellationToken cancellationToken)
    {
        if (_payload.Count == 1)
        {
            await SendAllAsync(target, _payload[0], cancellationToken);
            return;
        }

        _gathered.Clear();
        foreach (var piece in _payload)
        {
            if (!MemoryMarshal.TryGetArray(piece, out var array))
            {
                // Kestrel's pools hand out arrays; a transport that does not still works, one send a piece.
                foreach (var each in _payload)
                {
                    await SendAllAsync(target, each, cancellationToken);
                }

                return;
            }

            _gathered.Add(array);
        }

        if (_gathered.Count > 0)
        {
            using var closeOnCancel = cancellationToken.UnsafeRegister(static socket => ((Socket)socket!).Dispose(), target);
            await target.SendAsync(_gathered, SocketFlags.None);
        }
    }

    private static async ValueTask SendAllAsync(Socket target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            data = data[await target.SendAsync(data, SocketFlags.None, cancellationToken)..];
        }
    }

    /// <summary>
    /// Sends what was written; false, with <see cref="IsBroken"/> set, when the browser's connection is gone: an
    /// outcome the callers report, not an exception (a session's end must not cost one).
    /// </summary>
    private async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        FlushResult flushed;
        try
        {
            flushed = await _output.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _broken = true;
            return false;
        }

        if (flushed.IsCompleted)
        {
            _broken = true;
            return false;
        }

        return true;
    }
}
