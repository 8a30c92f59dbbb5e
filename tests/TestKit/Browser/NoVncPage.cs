using TestKit.Repository;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace TestKit.Browser;

/// <summary>
/// One of the proxy's console pages open in Chromium. The pages mirror the session's state on the
/// root element (`data-console-state`: connecting, connected, disconnected, failed) and in the
/// `#status` text; the remote screen is the canvas noVNC draws under `#screen`. Opened with the close recorder
/// (<see cref="WebSocketCloses"/>), it also tells how the session's WebSocket closed. Its log is redacted
/// (<see cref="BrowserLogRedaction"/>): a console URL's token never reaches a failure message.
/// </summary>
public sealed class NoVncPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly StringBuilder _console = new();

    internal NoVncPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) => Log($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => Log($"page error: {error}");
    }

    public IPage Page { get; }

    /// <summary>The browser console and page errors so far, for assertion messages.</summary>
    public string ConsoleLog
    {
        get
        {
            lock (_console)
            {
                return _console.ToString();
            }
        }
    }

    public Task<string> StatusTextAsync() => Page.InnerTextAsync("#status");

    /// <summary>The status for a failure message: never throws, since the page may be the thing that failed.</summary>
    public async Task<string> DescribeStatusAsync()
    {
        try
        {
            return await Page.InnerTextAsync("#status", new PageInnerTextOptions { Timeout = 2000 });
        }
        catch (PlaywrightException e)
        {
            return $"(no status: {e.Message})";
        }
    }

    public Task<string?> StateAsync() =>
        Page.EvaluateAsync<string?>("() => document.documentElement.dataset.consoleState ?? null");

    /// <summary>Waits until the session settles in one of the given states; returns the one reached.</summary>
    public async Task<string> WaitForStateAsync(TimeSpan timeout, params string[] states)
    {
        try
        {
            await Page.WaitForFunctionAsync(
                "states => states.includes(document.documentElement.dataset.consoleState)",
                states,
                new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"the page did not reach {string.Join(" or ", states)} within {timeout}: state '{await StateAsync()}', "
                + $"status '{await DescribeStatusAsync()}'\n{ConsoleLog}", e);
        }

        return await StateAsync() ?? string.Empty;
    }

    public async Task<CanvasPicture?> ReadPictureAsync()
    {
        var measured = await Page.EvaluateAsync<JsonElement?>(CanvasPicture.MeasureScript);
        if (measured is not { ValueKind: JsonValueKind.Object } picture)
        {
            return null;
        }

        return new CanvasPicture(
            picture.GetProperty("width").GetInt32(),
            picture.GetProperty("height").GetInt32(),
            picture.GetProperty("litPixels").GetInt32(),
            picture.GetProperty("colours").GetInt32());
    }

    /// <summary>Waits until the remote screen shows a picture (framebuffer updates arrive after the handshake).</summary>
    public async Task<CanvasPicture> WaitForPictureAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var picture = await ReadPictureAsync();
            if (picture is { ShowsSomething: true })
            {
                return picture;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"the console canvas shows no picture after {timeout}: {picture?.ToString() ?? "no canvas"}, "
                    + $"status '{await DescribeStatusAsync()}'\n{ConsoleLog}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Waits for the session's WebSocket to close; returns its close code (needs the close recorder).</summary>
    public async Task<int> WaitForCloseAsync(TimeSpan timeout)
    {
        await RequireCloseRecorderAsync();
        try
        {
            await Page.WaitForFunctionAsync($"() => {WebSocketCloses.Array}.length > 0", null,
                new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"the console session did not close within {timeout}; status '{await DescribeStatusAsync()}'\n{ConsoleLog}", e);
        }

        return await Page.EvaluateAsync<int>($"() => {WebSocketCloses.Array}[0].code");
    }

    /// <summary>
    /// Runs the checks on this page; when one fails, keeps a screenshot of what the browser showed
    /// as artifacts/test-results/browser/&lt;name&gt;.png and names it in the failure.
    /// </summary>
    public async Task CheckAsync(string name, Func<NoVncPage, Task> checks)
    {
        try
        {
            await checks(this);
        }
        catch (Exception failure)
        {
            var screenshot = await TrySaveScreenshotAsync(name);
            throw new BrowserCheckFailedException(name, screenshot, failure);
        }
    }

    public async Task<string> SaveScreenshotAsync(string name)
    {
        Directory.CreateDirectory(Checkout.File("artifacts", "test-results", "browser"));
        var path = Path.Combine(Checkout.File("artifacts", "test-results", "browser"), name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private async Task<string?> TrySaveScreenshotAsync(string name)
    {
        try
        {
            return await SaveScreenshotAsync(name);
        }
        catch (PlaywrightException)
        {
            // The page is gone (crashed or closed): the failure that brought us here says more.
            return null;
        }
    }

    private async Task RequireCloseRecorderAsync()
    {
        if (!await Page.EvaluateAsync<bool>($"() => Array.isArray({WebSocketCloses.Array})"))
        {
            throw new InvalidOperationException("this page was opened without the close recorder: open it with Chromium.OpenAsync(url, recordCloses: true)");
        }
    }

    private void Log(string line)
    {
        lock (_console)
        {
            _console.AppendLine(BrowserLogRedaction.Redact(line));
        }
    }
}
