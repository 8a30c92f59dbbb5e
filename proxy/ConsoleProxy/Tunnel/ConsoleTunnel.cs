using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;

namespace ConsoleProxy.Tunnel;

/// <summary>
/// One native VNC client's session carried through the proxy's WebSocket (what `virtctl vnc --proxy-only` does): a
/// loopback TCP port takes one client; its bytes go to the console as binary WebSocket messages and back. The WebSocket
/// is opened only when the client connects, so a single-use token is spent on the session, not on the waiting.
/// </summary>
public sealed class ConsoleTunnel : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Socket _listener;
    private readonly Uri _webSocket;
    private readonly X509Certificate2Collection? _trustedRoots;

    private ConsoleTunnel(Socket listener, Uri webSocket, X509Certificate2Collection? trustedRoots)
    {
        _listener = listener;
        _webSocket = webSocket;
        _trustedRoots = trustedRoots;
    }

    /// <summary>Where native clients connect.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Listens on <paramref name="listen"/>; <paramref name="trustedRoots"/>, when given, replace the system's CAs for wss.</summary>
    public static ConsoleTunnel Listen(IPEndPoint listen, Uri webSocket, X509Certificate2Collection? trustedRoots)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(listen);
            listener.Listen(1);
            return new ConsoleTunnel(listener, webSocket, trustedRoots);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Waits for one client and carries its session until either side ends it.</summary>
    public async Task<TunnelOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        using var client = await _listener.AcceptAsync(cancellationToken);
        client.NoDelay = true;
        using var webSocket = new ClientWebSocket();
        webSocket.Options.CollectHttpResponseDetails = true;
        webSocket.Options.AddSubProtocol("binary");
        if (_trustedRoots is not null)
        {
            webSocket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors);
        }

        try
        {
            await webSocket.ConnectAsync(_webSocket, cancellationToken);
        }
        catch (WebSocketException) when (webSocket.HttpStatusCode != 0)
        {
            return TunnelOutcome.Refused((int)webSocket.HttpStatusCode);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException or SocketException)
        {
            return TunnelOutcome.Unreachable(e.InnerException?.Message ?? e.Message);
        }

        using var ending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var toConsole = PumpToConsoleAsync(client, webSocket, ending.Token);
        var fromConsole = PumpFromConsoleAsync(webSocket, client, ending.Token);
        await Task.WhenAny(toConsole, fromConsole);
        await ending.CancelAsync();
        await Task.WhenAll(toConsole.ContinueWith(static _ => { }, TaskScheduler.Default), fromConsole.ContinueWith(static _ => { }, TaskScheduler.Default));
        client.Close();

        // The viewer hanging up ends the session whatever the proxy's close, which answers ours, says; and whichever
        // pump noticed it first (reading its end, or writing to a viewer that had gone: both happen when it quits).
        if (Stopped(toConsole) == TunnelPumpStop.ViewerLeft || Stopped(fromConsole) == TunnelPumpStop.ViewerLeft)
        {
            return TunnelOutcome.ClientLeft();
        }

        return webSocket.CloseStatus is { } status
            ? TunnelOutcome.Closed((int)status, webSocket.CloseStatusDescription)
            : TunnelOutcome.ConnectionLost();
    }

    public void Dispose() => _listener.Dispose();

    private bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }

    private static TunnelPumpStop? Stopped(Task<TunnelPumpStop> pump) => pump.IsCompletedSuccessfully ? pump.Result : null;

    private static async Task<TunnelPumpStop> PumpToConsoleAsync(Socket client, ClientWebSocket webSocket, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        while (true)
        {
            var read = await ReceiveFromViewerAsync(client, buffer, cancellationToken);
            if (read == 0)
            {
                // The VNC client hung up: say so to the proxy, which closes the console's connection in turn.
                try
                {
                    await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client disconnected", cancellationToken);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
                {
                    // The proxy's side ended at the same moment: the viewer still left first.
                }

                return TunnelPumpStop.ViewerLeft;
            }

            await webSocket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
    }

    /// <summary>Bytes from the viewer; 0 when it hung up, cleanly or with a reset (a viewer that quits with unread data).</summary>
    private static async Task<int> ReceiveFromViewerAsync(Socket client, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return 0;
        }
    }

    private static async Task<TunnelPumpStop> PumpFromConsoleAsync(ClientWebSocket webSocket, Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        while (true)
        {
            var received = await webSocket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return TunnelPumpStop.ConsoleClosed;
            }

            try
            {
                await client.SendAsync(buffer.AsMemory(0, received.Count), SocketFlags.None, cancellationToken);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
            {
                // Writing to a viewer that has quit (vncsnapshot leaves as soon as it has its picture).
                return TunnelPumpStop.ViewerLeft;
            }
        }
    }
}
