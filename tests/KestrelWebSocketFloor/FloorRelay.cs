using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace KestrelWebSocketFloor;

/// <summary>
/// One session: dial the target named by the query's port, accept the WebSocket (ASP.NET Core's own), and copy both
/// ways, each target read sent as one binary message. A pump waits for data with a zero-byte read and rents its buffer
/// only then, so an idle session holds none, as consoleproxy's do.
/// </summary>
public static class FloorRelay
{
    private const int BufferSize = 64 * 1024;

    public static async Task RunAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest
            || !int.TryParse(context.Request.Query["port"], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var target = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await target.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), context.RequestAborted);
        }
        catch (SocketException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        var toClient = TargetToClientAsync(target, webSocket);
        var toTarget = ClientToTargetAsync(webSocket, target);

        // Either end closing ends the session: the other pump is cut by closing both.
        await Task.WhenAny(toClient, toTarget);
        webSocket.Abort();
        target.Close();
        await Task.WhenAll(toClient, toTarget);
    }

    // Both pumps: wait for data holding no buffer, rent one, relay the burst, give it back.
    private static async Task TargetToClientAsync(Socket target, WebSocket client)
    {
        try
        {
            while (true)
            {
                await target.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    do
                    {
                        var read = await target.ReceiveAsync(buffer, SocketFlags.None);
                        if (read == 0)
                        {
                            return;
                        }

                        await client.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                    }
                    while (target.Available > 0);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (IsSessionEnd(e))
        {
        }
    }

    private static async Task ClientToTargetAsync(WebSocket client, Socket target)
    {
        try
        {
            while (true)
            {
                var frame = await client.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    ValueWebSocketReceiveResult received;
                    do
                    {
                        received = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                        if (received.MessageType == WebSocketMessageType.Close)
                        {
                            return;
                        }

                        if (received.Count > 0)
                        {
                            await target.SendAsync(buffer.AsMemory(0, received.Count), SocketFlags.None);
                        }
                    }
                    while (!received.EndOfMessage);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (IsSessionEnd(e))
        {
        }
    }

    private static bool IsSessionEnd(Exception e) =>
        e is SocketException or WebSocketException or ObjectDisposedException or OperationCanceledException or IOException;
}
