namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// Clickjacking of a live console, tried in Chromium: a page of another origin framing the console page gets nothing,
/// while the proxy's own origin may still frame it. The other origin is the same proxy reached as localhost instead
/// of 127.0.0.1: a different origin to the browser, with no second server.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class FramingTests(ConsoleStack stack)
{
    private const string BlockedFrameUrl = "chrome-error://chromewebdata/";

    [Fact]
    public async Task Another_site_cannot_frame_the_console_page_and_the_proxy_s_own_origin_can()
    {
        var other = $"http://localhost:{stack.Proxy.Port}";
        await using var page = await stack.Chromium.OpenAsync($"{other}/LICENSE.txt");

        var framedByOtherSite = await FrameUrlAsync(page, $"{stack.Proxy.BaseUrl}/vnc_lite.html");
        var framedBySameOrigin = await FrameUrlAsync(page, $"{other}/vnc_lite.html");

        Assert.Equal(BlockedFrameUrl, framedByOtherSite);
        Assert.Equal($"{other}/vnc_lite.html", framedBySameOrigin);
    }

    /// <summary>Adds an iframe for <paramref name="url"/> and returns the URL its document ended up at once loaded.</summary>
    private static async Task<string> FrameUrlAsync(NoVncPage page, string url)
    {
        var frames = page.Page.Frames.Count;
        await page.Page.EvaluateAsync(
            "url => new Promise(loaded => { const f = document.createElement('iframe'); f.onload = () => loaded(); f.src = url; document.body.appendChild(f); })",
            url);
        var frame = page.Page.Frames.Skip(frames).Single();

        // The iframe's load event reaches the page before Playwright has processed the frame's navigation, so
        // frame.Url can still be empty (CI once read ""). Wait for the navigation Playwright has seen to land.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (frame.Url is "" or "about:blank" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        return frame.Url;
    }
}
