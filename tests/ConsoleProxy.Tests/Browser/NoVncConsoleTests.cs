using System.Security.Cryptography;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// The proxy's noVNC pages in real Chromium, connecting through the real proxy to QEMU's VNC server
/// with a token minted by `consoleproxy token create`: the link shapes nova hands out must show the
/// VM's screen, and a bad link must say it failed.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class NoVncConsoleTests(ConsoleStack stack)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PictureTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_minted_vnc_lite_link_shows_the_VM_console()
    {
        var token = await stack.MintTokenForTheVmAsync();
        Assert.Equal($"{stack.Proxy.BaseUrl}/vnc_lite.html?path=websockify%3Ftoken%3D{token.Token}", token.Url);

        await ExpectConsoleAsync(token.Url, nameof(The_minted_vnc_lite_link_shows_the_VM_console));
    }

    [Fact]
    public async Task Novas_old_vnc_auto_link_shape_shows_the_VM_console()
    {
        var token = await stack.MintTokenForTheVmAsync();

        await ExpectConsoleAsync(
            $"{stack.Proxy.BaseUrl}/vnc_auto.html?path=%3Ftoken%3D{token.Token}",
            nameof(Novas_old_vnc_auto_link_shape_shows_the_VM_console));
    }

    [Fact]
    public async Task The_full_vnc_page_shows_the_VM_console()
    {
        var token = await stack.MintTokenForTheVmAsync();

        await ExpectConsoleAsync(
            $"{stack.Proxy.BaseUrl}/vnc.html?path=websockify%3Ftoken%3D{token.Token}",
            nameof(The_full_vnc_page_shows_the_VM_console));
    }

    [Fact]
    public async Task The_full_page_disconnects_and_connects_again_from_its_toolbar()
    {
        var token = await stack.MintTokenForTheVmAsync();
        await using var page = await stack.Chromium.OpenAsync(
            $"{stack.Proxy.BaseUrl}/vnc.html?path=websockify%3Ftoken%3D{token.Token}");
        await page.CheckAsync(nameof(The_full_page_disconnects_and_connects_again_from_its_toolbar), async page =>
        {
            Assert.Equal("connected", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));

            await page.Page.ClickAsync("#disconnect");
            Assert.Equal("disconnected", await page.WaitForStateAsync(ConnectTimeout, "disconnected", "failed"));
            Assert.Equal("Disconnected.", await page.StatusTextAsync());
            Assert.True(await page.Page.IsDisabledAsync("#send-ctrl-alt-del"));

            await page.Page.ClickAsync("#connect");
            Assert.Equal("connected", await page.WaitForStateAsync(ConnectTimeout, "connected", "failed"));
            Assert.True(await page.Page.IsEnabledAsync("#send-ctrl-alt-del"));
            await page.WaitForPictureAsync(PictureTimeout);
        });
    }

    [Fact]
    public async Task A_link_with_an_unknown_token_says_it_failed_and_shows_no_picture()
    {
        var unknownToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        await using var page = await stack.Chromium.OpenAsync(
            $"{stack.Proxy.BaseUrl}/vnc_lite.html?path=websockify%3Ftoken%3D{unknownToken}");
        await page.CheckAsync(nameof(A_link_with_an_unknown_token_says_it_failed_and_shows_no_picture), async page =>
        {
            var state = await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed");

            Assert.Equal("failed", state);
            Assert.StartsWith("Failed to connect.", await page.StatusTextAsync(), StringComparison.Ordinal);
            var picture = await page.ReadPictureAsync();
            Assert.False(picture is { ShowsSomething: true }, $"a refused session drew a picture: {picture}");
        });
    }

    [Fact]
    public async Task Revoking_the_token_ends_the_open_console_and_the_page_says_why()
    {
        var token = await stack.MintTokenForTheVmAsync();
        await using var page = await stack.Chromium.OpenAsync(token.Url);
        await page.CheckAsync(nameof(Revoking_the_token_ends_the_open_console_and_the_page_says_why), async page =>
        {
            Assert.Equal("connected", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));

            await stack.Proxy.RevokeTokenAsync(token.Token);

            // The proxy closes revoked sessions within 2 s (close code 4001); the page names the reason.
            Assert.Equal("disconnected", await page.WaitForStateAsync(TimeSpan.FromSeconds(5), "disconnected", "failed"));
            Assert.Equal("Disconnected. Access to this console was revoked.", await page.StatusTextAsync());
        });
    }

    private async Task ExpectConsoleAsync(string url, string name)
    {
        await using var page = await stack.Chromium.OpenAsync(url);
        await page.CheckAsync(name, async page =>
        {
            var state = await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed");
            Assert.True(state == "connected",
                $"the page is '{state}': {await page.StatusTextAsync()}\n{page.ConsoleLog}\nproxy:\n{stack.Proxy.Output}");
            Assert.StartsWith("Connected (unencrypted) to: QEMU", await page.StatusTextAsync(), StringComparison.Ordinal);

            var picture = await page.WaitForPictureAsync(PictureTimeout);

            Assert.Equal((720, 400), (picture.Width, picture.Height));
        });
    }
}
