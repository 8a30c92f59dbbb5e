using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using ConsoleProxy.Metrics;
using ConsoleProxy.Sessions;
using ConsoleProxy.WebSockets;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Relay;

/// <summary>
/// Moves bytes between the browser's WebSocket and the VNC server's TCP socket (or TLS over it, <see cref="TargetConnection"/>), full duplex, one
/// pump per direction, each awaiting its write before reading again (backpressure: a slow browser
/// slows the VNC server down instead of filling our memory). Each pump first waits for data
/// without holding a buffer, so an idle session holds none at all (the 8,000-idle-session memory
/// target); towards the browser the VNC server's bytes are read straight into the connection's
/// output buffer; towards the VNC server they are unmasked in Kestrel's input buffer and sent from it
/// (a view-only session's filter takes a pooled buffer only while a burst is unmasked and sent).
/// The relay also owns the close: whatever ends the session (either side, or a reason from
/// <see cref="ConsoleSession.Terminate"/>), the browser gets a close frame with a code that says
/// why, and the TCP socket is shut down.
/// </summary>
public sealed class ConsoleRelay(TimeProvider timeProvider, ProxyMetrics metrics)
{
    // View-only sessions, towards the VNC server: one of Kestrel's 128 KiB receive blocks unmasks
    // into it whole (taken only while a burst is handled).
    private const int ToTargetBufferSize = 128 * 1024;

    // Browser input at least this large is unmasked and written to the VNC server from the thread pool.
    private const int BulkThreshold = 16 * 1024;

    // How long a peer gets to finish the close handshake or drain a pending write before we abort.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Relays until the session ends; returns why it ended. Disposes neither argument.</summary>
    public async Task<SessionCloseReason> RunAsync(WebSocketConnection client, TargetConnection target, ConsoleSession session, IInputFilter? viewOnly, CancellationToken aborted)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(aborted);

        // Neither pump's wait watches the token (an idle session waits for hours, and a registration per wait is one
        // more object each idle session holds): this one registration for the whole session ends both waits.
        using var endWaits = abort.Token.UnsafeRegister(
            static state =>
            {
                var (target, client) = ((TargetConnection, WebSocketConnection))state!;
                target.ShutDown();
                client.CancelPendingWait();
            },
            (target, client));
        var toTarget = PumpClientToTargetAsync(client, target, session, viewOnly, metrics, abort.Token);
        var toClient = PumpTargetToClientAsync(target, client, session, metrics, abort.Token);

        var first = await Task.WhenAny(toTarget, toClient, session.Terminated);
        target.ShutDown();
        if (first != toClient)
        {
            // With the VNC server's side shut down, the pump towards the browser ends now.
            await WaitAsync(toClient, abort);
        }

        var ending = RelayEnding.Decide(
            first == session.Terminated ? await session.Terminated : null,
            first == toTarget ? await toTarget : null,
            // The request's abort token fires when the browser's connection is gone, maybe before a pump has seen it.
            client.IsBroken || aborted.IsCancellationRequested,
            client.Violation);
        if (ending.Farewell == ClientFarewell.Abandon)
        {
            session.Terminate(ending.Reason);
            await abort.CancelAsync();
            await WaitAsync(toTarget, abort);
            return ending.Reason;
        }

        // The first reason given wins: a session terminated meanwhile closes with its own.
        session.Terminate(ending.Reason);
        var reason = await session.Terminated;
        if (ending.Farewell == ClientFarewell.SendClose)
        {
            await CloseClientAsync(client, reason, toTarget, abort);
        }
        else if (ending.Farewell == ClientFarewell.AnswerClose)
        {
            await AnswerClientCloseAsync(client, abort);
        }

        return reason;
    }

    private static async Task<PumpEnd> PumpTargetToClientAsync(TargetConnection target, WebSocketConnection client, ConsoleSession session, ProxyMetrics metrics, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // Wait for the VNC server to have something without holding a buffer.
                await target.WaitReadableAsync(cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    return PumpEnd.Failed;
                }

                var sent = await target.SendToBrowserAsync(client, cancellationToken);
                if (client.IsBroken || cancellationToken.IsCancellationRequested)
                {
                    return PumpEnd.Failed;
                }

                if (sent == 0)
                {
                    return PumpEnd.SourceClosed;
                }

                session.RecordToClient(sent);
                metrics.AddServerToClient(sent);
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            return PumpEnd.Failed;
        }
    }

    private static async Task<PumpEnd> PumpClientToTargetAsync(WebSocketConnection client, TargetConnection target, ConsoleSession session, IInputFilter? viewOnly, ProxyMetrics metrics, CancellationToken cancellationToken)
    {
        try
        {
            while (!client.CloseReceived)
            {
                // Wait for the browser's next bytes without holding a buffer; they stay in Kestrel's.
                var waiting = await client.WaitToReceiveAsync();
                if (client.IsBroken || cancellationToken.IsCancellationRequested)
                {
                    // Reset or ended without a close frame, or the relay gave up on the session: reported as an
                    // outcome, not thrown.
                    return PumpEnd.Failed;
                }

                if (waiting >= BulkThreshold && !Thread.CurrentThread.IsThreadPoolThread)
                {
                    // A bulk upload (a paste, a file) woke us on the I/O thread: unmask and write it
                    // from the thread pool, so the I/O thread goes on reading the browser's socket
                    // meanwhile, a two-stage pipeline; the rest of the burst is handled there too.
                    // Keystrokes and pointer moves stay on the I/O thread, without a hop.
                    await Task.Yield();
                }

                // Unmasked in Kestrel's buffer and sent from there (no copy of ours), unless view-only
                // must rewrite the stream first.
                var relayed = viewOnly is null || viewOnly.PassesEverything
                    ? await target.ReceiveFromBrowserAsync(client, cancellationToken)
                    : await RelayFilteredAsync(client, target, viewOnly, cancellationToken);
                if (relayed > 0)
                {
                    // Pongs and other control frames are not console activity (the idle timeout).
                    session.RecordToTarget(relayed);
                    metrics.AddClientToServer(relayed);
                }

                if (client.IsBroken)
                {
                    return PumpEnd.Failed;
                }
            }

            return PumpEnd.SourceClosed;
        }
        catch (WebSocketProtocolException)
        {
            return PumpEnd.ProtocolViolation;
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            return PumpEnd.Failed;
        }
    }

    /// <summary>
    /// View-only: unmasks into a pooled buffer of its own (taken only while a burst is handled), drops
    /// the input events and sends the rest. Returns the bytes received from the browser.
    /// </summary>
    private static async Task<int> RelayFilteredAsync(WebSocketConnection client, TargetConnection target, IInputFilter viewOnly, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ToTargetBufferSize);
        try
        {
            var received = await client.ReceiveAsync(buffer, cancellationToken);
            var count = viewOnly.Filter(buffer.AsSpan(0, received));
            if (count > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
            }

            return received;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsConnectionEnd(Exception e) =>
        e is SocketException or WebSocketException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException;

    /// <summary>
    /// Sends our close frame, then waits for the browser's answer (read by the client pump) so the
    /// TCP connection ends with a complete close handshake rather than a reset.
    /// </summary>
    private async Task CloseClientAsync(WebSocketConnection client, SessionCloseReason reason, Task<PumpEnd> clientPump, CancellationTokenSource abort)
    {
        if (client.CanSendClose)
        {
            using var timeout = new CancellationTokenSource(CloseTimeout, timeProvider);
            try
            {
                if (!await client.CloseOutputAsync(reason.Status, reason.Description, timeout.Token) && client.IsBroken)
                {
                    await abort.CancelAsync();
                    return;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
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
    private async Task AnswerClientCloseAsync(WebSocketConnection client, CancellationTokenSource abort)
    {
        if (!client.CanSendClose)
        {
            return;
        }

        var status = client.CloseStatus ?? WebSocketCloseStatus.NormalClosure;
        using var timeout = new CancellationTokenSource(CloseTimeout, timeProvider);
        try
        {
            if (!await client.CloseOutputAsync(status, null, timeout.Token) && client.IsBroken)
            {
                await abort.CancelAsync();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            await abort.CancelAsync();
        }
    }

    /// <summary>
    /// Waits for a pump to stop, aborting everything if it does not within the close timeout. Every session ends
    /// through here, so the wait is the runtime's own timed wait (one timer, nothing linked), not a delay raced against
    /// the pump with a token source of its own; a pump stopped already, or an abort under way, costs no timer at all.
    /// A timeout is an outcome here, not an exception: the timed wait's is observed, never thrown.
    /// </summary>
    private async Task WaitAsync(Task<PumpEnd> pump, CancellationTokenSource abort)
    {
        if (!pump.IsCompleted && !abort.IsCancellationRequested)
        {
            await ((Task)pump).WaitAsync(CloseTimeout, timeProvider).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (!pump.IsCompleted)
        {
            // The pumps watch the abort token: cancelled, they stop at once.
            await abort.CancelAsync();
        }

        await pump;
    }
}
