using Microsoft.Playwright;

namespace TestKit.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright: the real browser users open consoles in. Never a
/// downloaded browser: Playwright's driver ships inside its NuGet package, and the browser is the
/// system one. One instance per test class; each page gets its own context (no shared cookies).
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // No sandbox: tests may run as root in a container. The rest keeps the browser off the network
    // and quiet: tests talk to loopback only.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <param name="extraArguments">Added to the defaults, e.g. a <c>--host-resolver-rules</c> mapping a public name.</param>
    public static async Task<Chromium> LaunchAsync(params string[] extraArguments)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is not installed. Run `make deps` (it installs it) or `apt-get install chromium`.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = [.. Arguments, .. extraArguments],
                Timeout = 60_000,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Opens the address in a fresh browser context and waits for the page to load.</summary>
    /// <param name="recordCloses">Install <see cref="WebSocketCloses"/> first, for <see cref="NoVncPage.WaitForCloseAsync"/>.</param>
    /// <param name="loadTimeout">How long the page may take to load (15 s; a page through a real cluster's Service may need more).</param>
    public async Task<NoVncPage> OpenAsync(string url, bool recordCloses = false, TimeSpan? loadTimeout = null)
    {
        var (context, page) = await NewPageAsync(recordCloses ? WebSocketCloses.RecorderScript : null);
        var opened = new NoVncPage(context, page);
        try
        {
            await page.GotoAsync(url, new PageGotoOptions { Timeout = (float)(loadTimeout ?? TimeSpan.FromSeconds(15)).TotalMilliseconds });
            return opened;
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
    }

    /// <summary>A blank page in a fresh browser context (no shared cookies), with a script run before each document's own.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewPageAsync(string? initScript = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 800, Height = 480 },
        });
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        return (context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
