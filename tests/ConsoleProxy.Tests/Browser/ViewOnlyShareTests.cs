using TestKit.Processes;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// A view-only share beside the owner's session (issue 18), with real noVNC pages in Chromium through a real `serve`
/// process to a QEMU whose screen echoes what is typed: the viewer sees the owner's typing, its own keys change nothing,
/// and the owner stays connected throughout.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class ViewOnlyShareTests(ConsoleStack stack)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    // QEMU's text console blinks its cursor, one 8x16 cell: a picture may differ by that much with nothing typed. A typed
    // line of text lights many times more.
    private const int CursorCell = 8 * 16;

    [Fact]
    public async Task The_viewer_sees_the_owner_type_its_own_keys_do_nothing_and_the_owner_stays_connected()
    {
        await using var vm = await QemuVncServer.StartAsync(typingScreen: true);
        await using var proxy = await ConsoleProxyProcess.StartAsync(stack.Redis.Address, "--allowed-target", $"127.0.0.1/32:{vm.Port}", "--instance-name", "share-proxy");
        var owned = await proxy.MintTokenAsync(vm.Address, TimeSpan.FromMinutes(10));
        var shared = await proxy.MintTokenAsync(vm.Address, TimeSpan.FromMinutes(10), "--view-only");
        await using var owner = await stack.Chromium.OpenAsync(owned.Url);
        await using var viewer = await stack.Chromium.OpenAsync(shared.Url);
        Assert.Equal("connected", await owner.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
        Assert.Equal("connected", await viewer.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));

        await viewer.CheckAsync(nameof(The_viewer_sees_the_owner_type_its_own_keys_do_nothing_and_the_owner_stays_connected), async viewer =>
        {
            var before = await viewer.WaitForPictureAsync(ConnectTimeout);

            // The viewer types a long line: were it to reach QEMU, the monitor would echo it on both screens.
            await viewer.Page.ClickAsync("canvas");
            await viewer.Page.Keyboard.TypeAsync("info version info version info version");
            await viewer.Page.Keyboard.PressAsync("Enter");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.InRange((await viewer.ReadPictureAsync())?.LitPixels ?? 0, before.LitPixels - CursorCell, before.LitPixels + CursorCell);
            Assert.InRange((await owner.ReadPictureAsync())?.LitPixels ?? 0, before.LitPixels - CursorCell, before.LitPixels + CursorCell);

            await owner.Page.ClickAsync("canvas");
            await owner.Page.Keyboard.TypeAsync("info version");
            await owner.Page.Keyboard.PressAsync("Enter");
            await Poll.UntilAsync(async () => (await viewer.ReadPictureAsync())?.LitPixels > before.LitPixels + (3 * CursorCell), "the viewer's screen to show what the owner typed");
        });

        Assert.Equal("connected", await owner.StateAsync());
        Assert.Equal("connected", await viewer.StateAsync());
    }
}
