using System.Text;
using ConsoleProxy.WebSockets;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// When the proxy has done the security handshake with the VNC server itself, the browser still expects one: this
/// plays the server's part of it, offering security type None (noVNC cannot do VeNCrypt, which is why the proxy
/// does). Afterwards the browser's ClientInit and everything else pass through unchanged. RFB 3.3, 3.7 and 3.8
/// clients are answered as their version prescribes.
/// </summary>
public static class BrowserRfbGreeting
{
    private static readonly byte[] ServerVersion = "RFB 003.008\n"u8.ToArray();

    /// <summary>Runs the handshake; <see cref="InvalidDataException"/> when the browser does not speak RFB 3.x.</summary>
    public static async Task RunAsync(WebSocketConnection browser, CancellationToken cancellationToken)
    {
        await browser.SendAsync(ServerVersion, cancellationToken);
        var version = Encoding.ASCII.GetString(await ReadAsync(browser, 12, cancellationToken));
        if (!version.StartsWith("RFB 003.", StringComparison.Ordinal) || !int.TryParse(version.AsSpan(8, 3), out var minor))
        {
            throw new InvalidDataException($"the browser did not answer with an RFB version (got {version.Length} bytes)");
        }

        if (minor < 7)
        {
            // RFB 3.3: the server decides, as a 32-bit type; no SecurityResult follows None.
            await browser.SendAsync(new byte[] { 0, 0, 0, RfbSecurityType.None }, cancellationToken);
            return;
        }

        await browser.SendAsync(new byte[] { 1, RfbSecurityType.None }, cancellationToken);
        var choice = (await ReadAsync(browser, 1, cancellationToken))[0];
        if (choice != RfbSecurityType.None)
        {
            throw new InvalidDataException($"the browser chose security type {choice}, which was not offered");
        }

        if (minor >= 8)
        {
            await browser.SendAsync(new byte[] { 0, 0, 0, 0 }, cancellationToken);
        }
    }

    private static async Task<byte[]> ReadAsync(WebSocketConnection browser, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var received = await browser.ReceiveAsync(buffer.AsMemory(read), cancellationToken);
            if (received == 0 && (browser.CloseReceived || browser.IsBroken))
            {
                throw new IOException("the browser closed the connection during the RFB handshake");
            }

            read += received;
        }

        return buffer;
    }
}
