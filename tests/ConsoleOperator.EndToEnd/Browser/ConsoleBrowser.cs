using Microsoft.Playwright;
using TestKit.Browser;

namespace ConsoleOperator.EndToEnd.Browser;

/// <summary>
/// The kit's Chromium (Debian's, driven by Playwright, never a downloaded browser), resolving one proxy's public host name to
/// its Service's ClusterIP, as a DNS record would for users. Every page records how its WebSockets closed.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    // Wraps WebSocket before noVNC loads, so the test reads the close code the browser saw (1006 included).
    private const string RecordCloses = """
        (() => {
            const Native = window.WebSocket;
            window.__consoleCloses = [];
            // A function returning the native socket, not a subclass: noVNC checks the socket's own prototype.
            function Recording(...args) {
                const socket = new Native(...args);
                socket.addEventListener('close', e => window.__consoleCloses.push({ code: e.code, reason: e.reason }));
                return socket;
            }
            Recording.prototype = Native.prototype;
            for (const name of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) {
                Object.defineProperty(Recording, name, { value: Native[name] });
            }
            window.WebSocket = Recording;
        })();
        """;

    private readonly Chromium _chromium;

    private ConsoleBrowser(Chromium chromium) => _chromium = chromium;

    public static async Task<ConsoleBrowser> LaunchAsync(string publicHost, string serviceIp) =>
        new(await Chromium.LaunchAsync("--no-proxy-server", $"--host-resolver-rules=MAP {publicHost} {serviceIp}"));

    public async Task<ConsolePage> OpenAsync(string url)
    {
        var (context, page) = await _chromium.NewPageAsync(RecordCloses);
        var opened = new ConsolePage(context, page);
        try
        {
            await page.GotoAsync(url, new PageGotoOptions { Timeout = 30_000 });
            return opened;
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _chromium.DisposeAsync();
}
