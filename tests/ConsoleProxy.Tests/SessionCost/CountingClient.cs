using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ConsoleProxy.Tests.SessionCost;

/// <summary>
/// A WebSocket client straight on a socket that reads the proxy's first frame (the VNC server's greeting) and then
/// ends the session one of the <see cref="SessionEnding"/> ways. It throws nothing on a normal end (a receive
/// returning 0), so that what a counted session throws is the proxy's.
/// </summary>
internal static class CountingClient
{
    // A close frame with status 1000, masked with a zero key so the payload reads as is.
    private static readonly byte[] NormalClose = [0x88, 0x82, 0, 0, 0, 0, 0x03, 0xE8];

    public static async Task<string> RunSessionAsync(int port, string token, SessionEnding ending, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        var request = $"GET /websockify?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);

        // The 101 answer, then the greeting's frame: a 2-byte header and RFB's 12-byte version line.
        var received = new List<byte>();
        var buffer = new byte[1024];
        while (!HasGreeting(received))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return $"the proxy ended the connection before the greeting: {Encoding.ASCII.GetString([.. received])}";
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        switch (ending)
        {
            case SessionEnding.ClientAborts:
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                return "aborted";
            case SessionEnding.ClientCloses:
                await socket.SendAsync(NormalClose, SocketFlags.None, cancellationToken);
                return await ReadToEndAsync(socket, received, buffer, cancellationToken);
            default:
                var answer = await ReadToEndAsync(socket, received, buffer, cancellationToken, answerClose: true);
                return answer;
        }
    }

    private static bool HasGreeting(List<byte> received)
    {
        var head = HeadLength(received);
        return head > 0 && received.Count >= head + 2 + 12;
    }

    private static int HeadLength(List<byte> received)
    {
        for (var i = 3; i < received.Count; i++)
        {
            if (received[i - 3] == '\r' && received[i - 2] == '\n' && received[i - 1] == '\r' && received[i] == '\n')
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>Reads until the proxy ends the connection; returns the close code it sent ("close NNNN").</summary>
    private static async Task<string> ReadToEndAsync(Socket socket, List<byte> received, byte[] buffer, CancellationToken cancellationToken, bool answerClose = false)
    {
        var closeAt = HeadLength(received) + 2 + 12;
        var answered = false;
        while (true)
        {
            if (answerClose && !answered && received.Count >= closeAt + 4)
            {
                await socket.SendAsync(NormalClose, SocketFlags.None, cancellationToken);
                answered = true;
            }

            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        if (received.Count < closeAt + 4 || (received[closeAt] & 0x0F) != 0x8)
        {
            return "no close frame";
        }

        return $"close {(received[closeAt + 2] << 8) | received[closeAt + 3]}";
    }
}
