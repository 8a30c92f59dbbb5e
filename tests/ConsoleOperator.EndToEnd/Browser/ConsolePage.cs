using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ConsoleOperator.EndToEnd.Browser;

/// <summary>
/// The proxy's noVNC page open in Chromium: whether its canvas shows the VM's screen, and how the session's
/// WebSocket closed.
/// </summary>
public sealed partial class ConsolePage : IAsyncDisposable
{
    // QEMU's BIOS screen is grey text on black: hundreds of lit pixels and more than one colour.
    private const string MeasureCanvas = """
        () => {
            const canvas = document.querySelector('#screen canvas');
            if (!canvas || canvas.width === 0 || canvas.height === 0) return null;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let lit = 0; const colours = new Set();
            for (let i = 0; i < data.length; i += 4) {
                if (data[i] + data[i + 1] + data[i + 2] > 96) lit++;
                if (colours.size < 64) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
            }
            return { lit, colours: colours.size, width: canvas.width, height: canvas.height };
        }
        """;

    private readonly IBrowserContext _context;
    private readonly StringBuilder _log = new();

    internal ConsolePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) => Log($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => Log($"page error: {error}");
    }

    public IPage Page { get; }

    /// <summary>Waits until the canvas shows the VM's screen; returns a description of it.</summary>
    public async Task<string> WaitForScreenAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        string seen = "no canvas";
        while (DateTimeOffset.UtcNow < deadline)
        {
            var measured = await Page.EvaluateAsync<JsonElement?>(MeasureCanvas);
            if (measured is { ValueKind: JsonValueKind.Object } m)
            {
                seen = $"{m.GetProperty("width").GetInt32()}x{m.GetProperty("height").GetInt32()}, {m.GetProperty("lit").GetInt32()} lit pixels, {m.GetProperty("colours").GetInt32()} colours";
                if (m.GetProperty("lit").GetInt32() >= 500 && m.GetProperty("colours").GetInt32() >= 2)
                {
                    return seen;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the console shows no picture after {timeout}: {seen}; status '{await StatusAsync()}'\n{LogText}");
    }

    /// <summary>Waits for the session's WebSocket to close; returns its close code.</summary>
    public async Task<int> WaitForCloseAsync(TimeSpan timeout)
    {
        try
        {
            await Page.WaitForFunctionAsync("() => window.__consoleCloses.length > 0", null,
                new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"the console session did not close within {timeout}; status '{await StatusAsync()}'\n{LogText}", e);
        }

        return await Page.EvaluateAsync<int>("() => window.__consoleCloses[0].code");
    }

    public Task<int> ClosesSoFarAsync() => Page.EvaluateAsync<int>("() => window.__consoleCloses.length");

    public async Task<string> StatusAsync()
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

    public string LogText
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    /// <summary>Browser messages name the WebSocket URL; a raw token never reaches a test log or failure message.</summary>
    public static string Redact(string text) => TokenInUrl().Replace(text, "$1<redacted>");

    private void Log(string line)
    {
        lock (_log)
        {
            _log.AppendLine(Redact(line));
        }
    }

    [GeneratedRegex("(token(?:=|%3D))[A-Za-z0-9_-]+", RegexOptions.IgnoreCase)]
    private static partial Regex TokenInUrl();
}
