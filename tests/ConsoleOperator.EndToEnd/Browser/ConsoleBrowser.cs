using Microsoft.Playwright;

namespace ConsoleOperator.EndToEnd.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), resolving one proxy's public host name to
/// its Service's ClusterIP, as a DNS record would for users. Every page records how its WebSockets closed.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

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

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<ConsoleBrowser> LaunchAsync(string publicHost, string serviceIp)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is not installed: `apt-get install chromium` (make deps installs it).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Timeout = 60_000,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-proxy-server",
                    $"--host-resolver-rules=MAP {publicHost} {serviceIp}",
                ],
            });
            return new ConsoleBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async Task<ConsolePage> OpenAsync(string url)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 800, Height = 480 } });
        await context.AddInitScriptAsync(RecordCloses);
        var page = await context.NewPageAsync();
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

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
