using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ConsoleProxy.Tests.Support;

/// <summary>Hand-written HTTP over a raw socket, for requests HttpClient refuses to send (oversized, truncated, slow).</summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> and returns the response's status line ("" when the server just closed).</summary>
    public static async Task<string> StatusLineAsync(int port, string request) =>
        (await ResponseAsync(port, request, wholeResponse: false)).Trim();

    /// <summary>Sends <paramref name="request"/> (which should ask for Connection: close) and returns the whole response as text.</summary>
    public static Task<string> WholeResponseAsync(int port, string request) => ResponseAsync(port, request, wholeResponse: true);

    private static async Task<string> ResponseAsync(int port, string request, bool wholeResponse)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        using var timeout = new CancellationTokenSource(ProxyClient.Timeout);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before the whole request is written (oversized headers).
        }

        var head = new StringBuilder();
        var buffer = new byte[1];
        try
        {
            while ((wholeResponse || !head.ToString().EndsWith("\r\n", StringComparison.Ordinal)) && await stream.ReadAsync(buffer, timeout.Token) == 1)
            {
                head.Append((char)buffer[0]);
            }
        }
        catch (IOException)
        {
            // Reset after the answer: what was read is the answer.
        }

        return head.ToString();
    }
}
