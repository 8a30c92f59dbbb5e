using TestKit.Processes;
using System.Text.RegularExpressions;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// The SPICE console page (spice.html, spice-html5) in real Chromium, through the built proxy to QEMU's SPICE server,
/// with a single-use token minted by `consoleproxy token create --kind spice`: every channel spice-html5 opens passes
/// the proxy as a session of that one token, the canvas shows the guest's screen, and revoking the token closes every
/// channel and says so on the page.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed partial class SpiceConsoleTests(ConsoleStack stack)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_single_use_SPICE_link_shows_the_guests_screen_over_every_channel_and_revocation_closes_them_all()
    {
        await using var vm = await QemuSpiceVm.StartAsync();
        await using var proxy = await ConsoleProxyProcess.StartAsync(stack.Redis.Address, "--kinds", "spice", "--spice-allowed-target", $"127.0.0.1/32:{vm.Port}");
        var token = await proxy.MintTokenAsync(vm.Address, TimeSpan.FromMinutes(10), "--kind", "spice", "--single-use");
        Assert.Equal($"{proxy.BaseUrl}/spice.html?path=websockify%3Ftoken%3D{token.Token}", token.Url);

        await using var page = await stack.Chromium.OpenAsync(token.Url);
        await page.CheckAsync(nameof(A_single_use_SPICE_link_shows_the_guests_screen_over_every_channel_and_revocation_closes_them_all), async page =>
        {
            Assert.Equal("connected", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            Assert.Equal("Connected (unencrypted) to the SPICE console", await page.StatusTextAsync());

            // SeaBIOS's text on QEMU's QXL screen, drawn by spice-html5 from the display channel.
            var picture = await page.WaitForPictureAsync(ConnectTimeout);
            Assert.True(picture.Width >= 640, picture.ToString());

            // main, display, inputs and cursor at least: each its own WebSocket, each admitted by the one single-use token.
            var started = await WaitForStartedChannelsAsync(proxy, 4);
            Assert.DoesNotContain("token already used", proxy.Output, StringComparison.Ordinal);

            await proxy.RevokeTokenAsync(token.Token, spent: true);
            Assert.Equal("disconnected", await page.WaitForStateAsync(ConnectTimeout, "disconnected", "failed"));
            Assert.Contains("revoked", await page.StatusTextAsync(), StringComparison.OrdinalIgnoreCase);
            await WaitUntilAsync(() => RevokedEnded().Count(proxy.Output) == started, $"all {started} SPICE channels to end with 4001\n{proxy.Output}");
        });
    }

    private static async Task<int> WaitForStartedChannelsAsync(ConsoleProxyProcess proxy, int atLeast)
    {
        await WaitUntilAsync(() => SpiceStarted().Count(proxy.Output) >= atLeast, $"{atLeast} SPICE channel sessions to start\n{proxy.Output}");

        // Let any further channel (playback, port) arrive before counting what revocation must close.
        await Task.Delay(TimeSpan.FromSeconds(1));
        return SpiceStarted().Count(proxy.Output);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + ConnectTimeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"Session \d+ started: .* kind spice")]
    private static partial Regex SpiceStarted();

    [GeneratedRegex(@"Session \d+ ended with 4001 .* kind spice")]
    private static partial Regex RevokedEnded();
}
