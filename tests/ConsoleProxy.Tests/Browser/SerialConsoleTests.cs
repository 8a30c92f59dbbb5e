using TestKit.Processes;
using System.Security.Cryptography;
using ConsoleProxy.Tests.Support;
using Microsoft.Playwright;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// The serial console page (serial.html, xterm.js) in real Chromium, through the built proxy to a shell on a pty behind
/// socat, with tokens minted by `consoleproxy token create --kind serial`: what the shell prints shows in the terminal,
/// what is typed runs there (unless the token is view-only), the terminal follows the window, copy and paste work, and
/// the status line says why a session ended.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class SerialConsoleTests(ConsoleStack stack)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan OutputTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_minted_serial_link_opens_the_terminal_and_what_is_typed_runs_in_the_guest()
    {
        var token = await stack.MintSerialTokenAsync();
        Assert.Equal($"{stack.Proxy.BaseUrl}/serial.html?path=websockify%3Ftoken%3D{token.Token}", token.Url);

        await using var page = await stack.Chromium.OpenAsync(token.Url);
        await page.CheckAsync(nameof(The_minted_serial_link_opens_the_terminal_and_what_is_typed_runs_in_the_guest), async page =>
        {
            Assert.Equal("connected", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            Assert.Equal("Connected (unencrypted) to the serial console", await page.StatusTextAsync());
            await WaitForTerminalTextAsync(page, SerialShell.Prompt.TrimEnd());

            // Only the shell can turn $((6*7)) into 42: the echo of the typed line shows the expression.
            await page.Page.ClickAsync("#terminal");
            await page.Page.Keyboard.TypeAsync("echo typed-$((6*7))");
            await page.Page.Keyboard.PressAsync("Enter");
            await WaitForTerminalTextAsync(page, "typed-42");
        });
    }

    [Fact]
    public async Task A_VMs_serial_port_shows_its_kernel_booting_in_the_terminal()
    {
        await using var vm = await QemuSerialVm.StartAsync();
        await using var proxy = await ConsoleProxyProcess.StartAsync(stack.Redis.Address, "--kinds", "serial", "--serial-allowed-target", $"127.0.0.1/32:{vm.Port}");
        var token = await proxy.MintTokenAsync(vm.Address, TimeSpan.FromMinutes(10), "--kind", "serial");

        await using var page = await stack.Chromium.OpenAsync(token.Url);
        await page.CheckAsync(nameof(A_VMs_serial_port_shows_its_kernel_booting_in_the_terminal), async page =>
        {
            Assert.Equal("connected", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));

            // Emulated without KVM the kernel takes a few seconds per boot; the banner comes round on each.
            await WaitForTerminalTextAsync(page, QemuSerialVm.BootBanner, TimeSpan.FromSeconds(60));
        });
    }

    [Fact]
    public async Task A_view_only_link_shows_the_output_but_what_is_typed_never_reaches_the_guest()
    {
        var viewOnly = await stack.MintSerialTokenAsync("--view-only");
        var readWrite = await stack.MintSerialTokenAsync();
        var viewerMarker = Path.Combine(stack.Shell.Directory, $"viewer-{Guid.NewGuid():N}");
        var typistMarker = Path.Combine(stack.Shell.Directory, $"typist-{Guid.NewGuid():N}");

        await using var viewer = await stack.Chromium.OpenAsync(viewOnly.Url);
        await using var typist = await stack.Chromium.OpenAsync(readWrite.Url);
        await viewer.CheckAsync(nameof(A_view_only_link_shows_the_output_but_what_is_typed_never_reaches_the_guest), async viewer =>
        {
            Assert.Equal("connected", await viewer.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            await WaitForTerminalTextAsync(viewer, SerialShell.Prompt.TrimEnd());
            await viewer.Page.ClickAsync("#terminal");
            await viewer.Page.Keyboard.TypeAsync($"touch {Path.GetFileName(viewerMarker)}");
            await viewer.Page.Keyboard.PressAsync("Enter");

            // The same typing on a read-write link, after the viewer's, runs: so the viewer's had every chance to.
            Assert.Equal("connected", await typist.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            await WaitForTerminalTextAsync(typist, SerialShell.Prompt.TrimEnd());
            await typist.Page.ClickAsync("#terminal");
            await typist.Page.Keyboard.TypeAsync($"touch {Path.GetFileName(typistMarker)}; echo done-$((6*7))");
            await typist.Page.Keyboard.PressAsync("Enter");
            await WaitForTerminalTextAsync(typist, "done-42");
            await Task.Delay(TimeSpan.FromMilliseconds(500));

            Assert.True(File.Exists(typistMarker));
            Assert.False(File.Exists(viewerMarker), "the view-only session's typing reached the shell");
            Assert.DoesNotContain(Path.GetFileName(viewerMarker), await TerminalTextAsync(viewer), StringComparison.Ordinal);
            Assert.Equal("connected", await viewer.StateAsync());
        });
    }

    [Fact]
    public async Task The_terminal_follows_the_window_size()
    {
        var token = await stack.MintSerialTokenAsync();
        await using var page = await stack.Chromium.OpenAsync(token.Url);
        await page.CheckAsync(nameof(The_terminal_follows_the_window_size), async page =>
        {
            Assert.Equal("connected", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            var (cols, rows) = await SizeAsync(page);

            await page.Page.SetViewportSizeAsync(1200, 720);
            await page.Page.WaitForFunctionAsync(
                "before => document.getElementById('size').textContent !== before",
                $"{cols}\u00d7{rows}",
                new PageWaitForFunctionOptions { Timeout = (float)OutputTimeout.TotalMilliseconds, PollingInterval = 100 });
            var (widerCols, tallerRows) = await SizeAsync(page);

            Assert.True(widerCols > cols, $"{widerCols} columns at 1200 px, {cols} at 800 px");
            Assert.True(tallerRows > rows, $"{tallerRows} rows at 720 px, {rows} at 480 px");
            var rowCount = await page.Page.EvaluateAsync<int>("() => document.querySelector('.xterm-rows').children.length");
            Assert.Equal(tallerRows, rowCount);
        });
    }

    [Fact]
    public async Task Selected_text_is_copied_and_pasted_text_runs_in_the_guest()
    {
        var token = await stack.MintSerialTokenAsync();
        await using var page = await stack.Chromium.OpenAsync(token.Url);
        await page.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = stack.Proxy.BaseUrl });
        await page.CheckAsync(nameof(Selected_text_is_copied_and_pasted_text_runs_in_the_guest), async page =>
        {
            Assert.Equal("connected", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            await WaitForTerminalTextAsync(page, SerialShell.Prompt.TrimEnd());

            // Drag across the first row, where the prompt is, as a person selects text.
            var screen = await page.Page.Locator(".xterm-screen").BoundingBoxAsync() ?? throw new InvalidOperationException("no terminal screen");
            var (_, rows) = await SizeAsync(page);
            var y = screen.Y + (screen.Height / rows / 2);
            await page.Page.Mouse.MoveAsync(screen.X + 1, y);
            await page.Page.Mouse.DownAsync();
            await page.Page.Mouse.MoveAsync(screen.X + screen.Width - 2, y, new MouseMoveOptions { Steps = 5 });
            await page.Page.Mouse.UpAsync();
            await page.Page.ClickAsync("#copy");
            await page.Page.WaitForFunctionAsync(
                "async prompt => (await navigator.clipboard.readText()).includes(prompt)",
                SerialShell.Prompt.TrimEnd(),
                new PageWaitForFunctionOptions { Timeout = (float)OutputTimeout.TotalMilliseconds, PollingInterval = 200 });

            await page.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", "echo pasted-$((7*6))\n");
            await page.Page.ClickAsync("#paste");
            await WaitForTerminalTextAsync(page, "pasted-42");
        });
    }

    [Fact]
    public async Task Revoking_the_token_ends_the_session_and_the_status_line_says_it_was_revoked()
    {
        var token = await stack.MintSerialTokenAsync();
        await using var page = await stack.Chromium.OpenAsync(token.Url);
        await page.CheckAsync(nameof(Revoking_the_token_ends_the_session_and_the_status_line_says_it_was_revoked), async page =>
        {
            Assert.Equal("connected", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));

            await stack.Proxy.RevokeTokenAsync(token.Token);

            Assert.Equal("disconnected", await page.WaitForStateAsync(ConnectTimeout, "disconnected", "failed"));
            Assert.Equal("Disconnected. Access to this console was revoked.", await page.StatusTextAsync());
            Assert.True(await page.Page.IsDisabledAsync("#paste"));
        });
    }

    [Fact]
    public async Task A_link_with_an_unknown_token_says_it_failed()
    {
        var unknownToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        await using var page = await stack.Chromium.OpenAsync($"{stack.Proxy.BaseUrl}/serial.html?path=websockify%3Ftoken%3D{unknownToken}");
        await page.CheckAsync(nameof(A_link_with_an_unknown_token_says_it_failed), async page =>
        {
            Assert.Equal("failed", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            Assert.Equal("Failed to connect. The link is invalid, expired or already used, or the proxy is unreachable.", await page.StatusTextAsync());
        });
    }

    [Fact]
    public async Task A_VNC_token_for_the_serial_port_is_refused_by_the_VNC_allow_list()
    {
        // The proxy serves both kinds; the shell's port is on the serial list only.
        var token = await stack.Proxy.MintTokenAsync(stack.Shell.Address, TimeSpan.FromMinutes(10));

        await using var page = await stack.Chromium.OpenAsync(token.Url.Replace("/vnc_lite.html", "/serial.html", StringComparison.Ordinal));
        await page.CheckAsync(nameof(A_VNC_token_for_the_serial_port_is_refused_by_the_VNC_allow_list), async page =>
        {
            Assert.Equal("failed", await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
            Assert.Contains("Session refused with 403: target not allowed", stack.Proxy.Output, StringComparison.Ordinal);
        });
    }

    private static Task<string> TerminalTextAsync(NoVncPage page) => page.Page.InnerTextAsync(".xterm-rows");

    private static async Task WaitForTerminalTextAsync(NoVncPage page, string text, TimeSpan? within = null)
    {
        var timeout = within ?? OutputTimeout;
        try
        {
            await page.Page.WaitForFunctionAsync(
                // The whole buffer, scrollback included: under load a boot banner scrolls off the screen between polls.
                "text => { const b = window.serialTerminal?.buffer.active; if (!b) return false; for (let i = 0; i < b.length; i++) { if (b.getLine(i)?.translateToString(true).includes(text)) return true; } return false; }",
                text,
                new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"the terminal did not show '{text}' within {timeout}; it shows:\n{await TerminalTextAsync(page)}\n{page.ConsoleLog}", e);
        }
    }

    private static async Task<(int Cols, int Rows)> SizeAsync(NoVncPage page)
    {
        var text = await page.Page.InnerTextAsync("#size");
        var parts = text.Split('\u00d7');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
