using TestKit.Processes;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// Who is connected and the second-viewer policy with real noVNC pages in Chromium, through a real `serve` process,
/// to QEMU's VNC server.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class SecondViewerTests(ConsoleStack stack)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Two_browser_sessions_on_one_token_are_listed_then_one_then_none()
    {
        var token = await stack.MintTokenForTheVmAsync();
        var hash = TokenHash.FromHex(token.TokenHash)!.Value;
        await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(stack.Redis.Address), TimeProvider.System, CancellationToken.None);
        var directory = new SessionDirectory(store, TimeProvider.System, TimeSpan.FromSeconds(5));
        var first = await stack.Chromium.OpenAsync(token.Url);
        var firstOpen = true;
        try
        {
            await using var second = await stack.Chromium.OpenAsync(token.Url);
            Assert.Equal("connected", await first.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            Assert.Equal("connected", await second.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            await Poll.UntilAsync(async () => (await directory.ListByTokenAsync(hash, CancellationToken.None)).Count == 2, "two sessions to be listed");

            firstOpen = false;
            await first.DisposeAsync();
            await Poll.UntilAsync(async () => (await directory.ListByTokenAsync(hash, CancellationToken.None)).Count == 1, "one session after the first page closed");
            Assert.Equal("connected", await second.StateAsync());
        }
        finally
        {
            if (firstOpen)
            {
                await first.DisposeAsync();
            }
        }

        await Poll.UntilAsync(async () => (await directory.ListByTokenAsync(hash, CancellationToken.None)).Count == 0, "no session after both pages closed");
    }

    [Fact]
    public async Task Takeover_closes_the_first_page_with_4006_and_the_page_says_why()
    {
        await using var proxy = await ConsoleProxyProcess.StartAsync(stack.Redis.Address, "--allowed-target", $"127.0.0.1/32:{stack.Vm.Port}", "--on-session-limit", "takeover", "--instance-name", "takeover-proxy");
        var token = await proxy.MintTokenAsync(stack.Vm.Address, TimeSpan.FromMinutes(10), "--max-sessions", "1");
        await using var first = await stack.Chromium.OpenAsync(token.Url);
        Assert.Equal("connected", await first.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));

        await using var second = await stack.Chromium.OpenAsync(token.Url);

        Assert.Equal("connected", await second.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
        Assert.Equal("disconnected", await first.WaitForStateAsync(TimeSpan.FromSeconds(5), "disconnected", "failed"));
        Assert.Equal(
            "Disconnected. Someone else opened this console and took it over. (taken over by a newer session (the token admits 1 concurrent session (max_sessions), on-session-limit takeover))",
            await first.StatusTextAsync());
        Assert.Equal("connected", await second.StateAsync());
    }

    [Fact]
    public async Task Reject_refuses_the_second_page_and_the_first_stays_connected()
    {
        await using var proxy = await ConsoleProxyProcess.StartAsync(stack.Redis.Address, "--allowed-target", $"127.0.0.1/32:{stack.Vm.Port}", "--instance-name", "reject-proxy");
        var token = await proxy.MintTokenAsync(stack.Vm.Address, TimeSpan.FromMinutes(10), "--max-sessions", "1");
        await using var first = await stack.Chromium.OpenAsync(token.Url);
        Assert.Equal("connected", await first.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));

        await using var second = await stack.Chromium.OpenAsync(token.Url);

        Assert.NotEqual("connected", await second.WaitForStateAsync(ConnectTimeout, "disconnected", "failed"));
        Assert.StartsWith("Failed to connect.", await second.StatusTextAsync(), StringComparison.Ordinal);
        Assert.Contains("session limit reached", proxy.Output, StringComparison.Ordinal);
        Assert.Equal("connected", await first.StateAsync());
    }
}
