using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using ConsoleProxy.Metrics;
using ConsoleProxy.Rfb;
using ConsoleProxy.Sessions;

namespace ConsoleProxy.Relay;

/// <summary>
/// Moves bytes between the browser's WebSocket and the VNC server's TCP socket, full duplex, one
/// pump per direction, each awaiting its write before reading again (backpressure: a slow browser
/// slows the VNC server down instead of filling our memory). Buffers come from the shared pool
/// and are held only while data flows: each pump first waits for data with a zero-byte read, so an
/// idle session holds no buffer at all (the 8,000-idle-session memory target).
/// The relay also owns the close: whatever ends the session (either side, or a reason from
/// <see cref="ConsoleSession.Terminate"/>), the browser gets a close frame with a code that says
/// why, and the TCP socket is shut down.
/// </summary>
public sealed class ConsoleRelay(TimeProvider timeProvider, ProxyMetrics metrics)
{
    // Towards the browser: a full-screen update burst per system call and per WebSocket frame, so the
    // fixed cost of a send (frame header, locks, flush) is spread over many bytes.
    private const int ToClientBufferSize = 256 * 1024;

    // Towards the VNC server: browsers send small input messages; large ones (clipboard) are rare.
    private const int ToTargetBufferSize = 64 * 1024;

    // How long a peer gets to finish the close handshake or drain a pending write before we abort.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Relays until the session ends; returns why it ended. Disposes neither argument.</summary>
    public async Task<SessionCloseReason> RunAsync(WebSocket client, Socket target, ConsoleSession session, ViewOnlyFilter? viewOnly, CancellationToken aborted)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var toTarget = PumpClientToTargetAsync(client, target, session, viewOnly, metrics, abort.Token);
        var toClient = PumpTargetToClientAsync(target, client, session, metrics, abort.Token);

        var first = await Task.WhenAny(toTarget, toClient, session.Terminated);
        SessionCloseReason reason;
        if (first == session.Terminated)
        {
            reason = await session.Terminated;
            ShutDown(target);
            await WaitAsync(toClient, abort);
            await CloseClientAsync(client, reason, toTarget, abort);
        }
        else if (first == toClient)
        {
            var end = await toClient;
            ShutDown(target);
            if (end == PumpEnd.SourceClosed || client.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // The VNC server hung up (or its socket broke): the session is over, normally.
                session.Terminate(SessionCloseReason.ConsoleClosed);
                reason = await session.Terminated;
                await CloseClientAsync(client, reason, toTarget, abort);
            }
            else
            {
                reason = SessionCloseReason.ClientLost;
                session.Terminate(reason);
                await abort.CancelAsync();
                await WaitAsync(toTarget, abort);
            }
        }
        else
        {
            var end = await toTarget;
            ShutDown(target);
            await WaitAsync(toClient, abort);
            if (end == PumpEnd.SourceClosed)
            {
                session.Terminate(SessionCloseReason.ClientClosed);
                reason = await session.Terminated;
                await AnswerClientCloseAsync(client, abort);
            }
            else if (client.State == WebSocketState.Open)
            {
                // Writing to the VNC server failed (it reset) while the browser is fine: tell it.
                session.Terminate(SessionCloseReason.ConsoleClosed);
                reason = await session.Terminated;
                await CloseClientAsync(client, reason, toTarget, abort);
            }
            else
            {
                reason = SessionCloseReason.ClientLost;
                session.Terminate(reason);
                await abort.CancelAsync();
            }
        }

        return reason;
    }

    private static async Task<PumpEnd> PumpTargetToClientAsync(Socket target, WebSocket client, ConsoleSession session, ProxyMetrics metrics, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // Wait for the VNC server to have something without holding a buffer.
                await target.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken);
                var buffer = ArrayPool<byte>.Shared.Rent(ToClientBufferSize);
                try
                {
                    do
                    {
                        var read = await target.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, cancellationToken);
                        if (read == 0)
                        {
                            return PumpEnd.SourceClosed;
                        }

                        await client.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
                        session.RecordToClient(read);
                        metrics.AddServerToClient(read);
                    }
                    while (target.Available > 0);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is SocketException or WebSocketException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException)
        {
            return PumpEnd.Failed;
        }
    }

    private static async Task<PumpEnd> PumpClientToTargetAsync(WebSocket client, Socket target, ConsoleSession session, ViewOnlyFilter? viewOnly, ProxyMetrics metrics, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // Wait for the next frame without holding a buffer; the frame's payload stays unread.
                var peek = await client.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
                if (peek.MessageType == WebSocketMessageType.Close)
                {
                    return PumpEnd.SourceClosed;
                }

                if (peek.EndOfMessage)
                {
                    continue;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(ToTargetBufferSize);
                try
                {
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        // Kestrel hands the upgraded stream over one memory block at a time; gather a
                        // message (or a full buffer) before writing, so a large message costs the VNC
                        // socket one send instead of several. Small RFB messages end at once.
                        var filled = 0;
                        var closed = false;
                        do
                        {
                            result = await client.ReceiveAsync(buffer.AsMemory(filled), cancellationToken);
                            if (result.MessageType == WebSocketMessageType.Close)
                            {
                                closed = true;
                                break;
                            }

                            filled += result.Count;
                        }
                        while (!result.EndOfMessage && filled < buffer.Length);

                        var count = viewOnly is null ? filled : viewOnly.Filter(buffer.AsSpan(0, filled));
                        var sent = 0;
                        while (sent < count)
                        {
                            sent += await target.SendAsync(buffer.AsMemory(sent, count - sent), SocketFlags.None, cancellationToken);
                        }

                        session.RecordToTarget(filled);
                        metrics.AddClientToServer(filled);
                        if (closed)
                        {
                            return PumpEnd.SourceClosed;
                        }
                    }
                    while (!result.EndOfMessage);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is SocketException or WebSocketException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException)
        {
            return PumpEnd.Failed;
        }
    }

    /// <summary>
    /// Sends our close frame, then waits for the browser's answer (read by the client pump) so the
    /// TCP connection ends with a complete close handshake rather than a reset.
    /// </summary>
    private async Task CloseClientAsync(WebSocket client, SessionCloseReason reason, Task<PumpEnd> clientPump, CancellationTokenSource abort)
    {
        if (client.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(CloseTimeout, timeProvider);
            try
            {
                await client.CloseOutputAsync(reason.Status, reason.Description, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                await abort.CancelAsync();
                return;
            }
        }

        await WaitAsync(clientPump, abort);
    }

    /// <summary>
    /// Answers the browser's close. A close without status must not be echoed as 1005 (Chromium
    /// calls that a broken frame), so it gets 1000; otherwise its own code goes back.
    /// </summary>
    private async Task AnswerClientCloseAsync(WebSocket client, CancellationTokenSource abort)
    {
        if (client.State != WebSocketState.CloseReceived)
        {
            return;
        }

        var status = client.CloseStatus is null or WebSocketCloseStatus.Empty ? WebSocketCloseStatus.NormalClosure : client.CloseStatus.Value;
        using var timeout = new CancellationTokenSource(CloseTimeout, timeProvider);
        try
        {
            await client.CloseOutputAsync(status, null, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            await abort.CancelAsync();
        }
    }

    /// <summary>Waits for a pump to stop, aborting everything if it does not within the close timeout.</summary>
    private async Task WaitAsync(Task<PumpEnd> pump, CancellationTokenSource abort)
    {
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
        var finished = await Task.WhenAny(pump, Task.Delay(CloseTimeout, timeProvider, stopWaiting.Token));
        if (finished != pump)
        {
            await abort.CancelAsync();
            await pump;
        }

        await stopWaiting.CancelAsync();
    }

    private static void ShutDown(Socket target)
    {
        try
        {
            target.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset or closed by the peer: nothing left to shut down.
        }

        target.Close();
    }
}
