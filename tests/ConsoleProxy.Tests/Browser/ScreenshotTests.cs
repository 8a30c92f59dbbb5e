using ConsoleProxy.Tests.Support;
using TestKit.Processes;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// `GET /screenshot`: the PNG, decoded by Chromium's own image decoder, shows what QEMU's screendump shows, taken
/// while a browser session is open on the same console, which stays open (the capture's connection is shared).
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class ScreenshotTests(ConsoleStack stack)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_screenshot_equals_QEMUs_screendump_and_the_open_session_stays_open()
    {
        var sessionToken = await stack.MintTokenForTheVmAsync();
        var pictureToken = await stack.MintTokenForTheVmAsync();
        await using var session = await stack.Chromium.OpenAsync(sessionToken.Url);
        Assert.Equal("connected", await session.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
        var screenshotUrl = $"{stack.Proxy.BaseUrl}/screenshot?token={pictureToken.Token}";

        var dump = await stack.Vm.ScreendumpAsync();
        var decoded = await stack.EvaluateInProxyPageAsync(
            """
            async ([url, width, height, dump]) => {
                const response = await fetch(url);
                const type = response.headers.get('content-type');
                const bitmap = await createImageBitmap(await response.blob());
                const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
                const context = canvas.getContext('2d');
                context.drawImage(bitmap, 0, 0);
                const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
                const expected = Uint8Array.from(atob(dump), c => c.charCodeAt(0));
                let different = 0;
                if (bitmap.width === width && bitmap.height === height) {
                    for (let i = 0, j = 0; j < expected.length; i += 4, j += 3) {
                        if (pixels[i] !== expected[j] || pixels[i + 1] !== expected[j + 1] || pixels[i + 2] !== expected[j + 2]) {
                            different++;
                        }
                    }
                }
                return { status: response.status, type, width: bitmap.width, height: bitmap.height, different };
            }
            """,
            new object[] { screenshotUrl, dump.Width, dump.Height, Convert.ToBase64String(dump.Rgb) });

        Assert.Equal(200, decoded.GetProperty("status").GetInt32());
        Assert.Equal("image/png", decoded.GetProperty("type").GetString());
        Assert.Equal(dump.Width, decoded.GetProperty("width").GetInt32());
        Assert.Equal(dump.Height, decoded.GetProperty("height").GetInt32());

        // The BIOS screen is still; only a text cursor may blink between the two pictures.
        Assert.True(decoded.GetProperty("different").GetInt32() <= dump.Width * dump.Height / 200, $"{decoded.GetProperty("different").GetInt32()} of {dump.Width * dump.Height} pixels differ from QEMU's screendump");
        Assert.Equal("connected", await session.StateAsync());
    }

    [Fact]
    public async Task Single_use_and_unknown_tokens_get_no_picture_and_the_token_is_not_spent()
    {
        var unknown = await Http.GetAsync($"{stack.Proxy.BaseUrl}/screenshot?token={new string('A', 43)}");
        var singleUse = await MintSingleUseAsync();
        var refused = await Http.GetAsync($"{stack.Proxy.BaseUrl}/screenshot?token={singleUse.Token}");

        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("single-use token opens one console session", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var session = await stack.Chromium.OpenAsync(singleUse.Url);
        Assert.Equal("connected", await session.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed"));
    }

    [Fact]
    public async Task A_screenshot_only_token_is_an_image_URL_and_opens_no_console_session()
    {
        var screenshotOnly = await MintAsync("--screenshot-only");
        Assert.Equal($"{stack.Proxy.BaseUrl}/screenshot?token={Uri.EscapeDataString(screenshotOnly.Token)}", screenshotOnly.Url);

        using var picture = await Http.GetAsync(screenshotOnly.Url);
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.Equal("image/png", picture.Content.Headers.ContentType?.MediaType);
        var png = await picture.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        var before = await MetricsScrape.TakeAsync(stack.Proxy.Port);
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(new Uri($"ws://127.0.0.1:{stack.Proxy.Port}/websockify?token={Uri.EscapeDataString(screenshotOnly.Token)}"), timeout.Token));
        var after = await MetricsScrape.TakeAsync(stack.Proxy.Port);

        Assert.Equal(HttpStatusCode.Forbidden, client.HttpStatusCode);
        const string Refusals = "consoleproxy_authorization_failures_total{reason=\"screenshot_only\"}";
        Assert.Equal(1, after[Refusals] - (before.Text.Contains(Refusals, StringComparison.Ordinal) ? before[Refusals] : 0));
    }

    [Fact]
    public async Task Screenshot_only_does_not_go_with_single_use_or_another_kind()
    {
        var build = stack.Proxy.Build;
        foreach (var extra in new[] { "--single-use", "--kind=serial" })
        {
            var result = await Command.RunAsync(build.Dotnet,
            [
                build.Assembly, "token", "create", "--redis", stack.Redis.Address, "--target", stack.Vm.Address, "--ttl", "600",
                "--base-url", stack.Proxy.BaseUrl, "--screenshot-only", extra,
            ], TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains("--screenshot-only", result.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_share_of_a_screenshot_only_token_is_screenshot_only_too()
    {
        var screenshotOnly = await MintAsync("--screenshot-only");
        var build = stack.Proxy.Build;
        string[] share = [build.Assembly, "token", "create", "--redis", stack.Redis.Address, "--share-of", screenshotOnly.Token, "--ttl", "600", "--base-url", stack.Proxy.BaseUrl, "--output", "json"];

        var shared = await Command.RunAsync(build.Dotnet, share, TimeSpan.FromSeconds(60));
        var singleUse = await Command.RunAsync(build.Dotnet, [.. share, "--single-use"], TimeSpan.FromSeconds(60));

        Assert.True(shared.ExitCode == 0, shared.ToString());
        var minted = JsonSerializer.Deserialize<MintedToken>(shared.Output, JsonOptions)!;
        Assert.Equal($"{stack.Proxy.BaseUrl}/screenshot?token={Uri.EscapeDataString(minted.Token)}", minted.Url);
        using var picture = await Http.GetAsync(minted.Url);
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(new Uri($"ws://127.0.0.1:{stack.Proxy.Port}/websockify?token={Uri.EscapeDataString(minted.Token)}"), timeout.Token));
        Assert.Equal(HttpStatusCode.Forbidden, client.HttpStatusCode);
        Assert.True(singleUse.ExitCode != 0, singleUse.ToString());
        Assert.Contains("for screenshots only", singleUse.ToString(), StringComparison.Ordinal);
    }

    private Task<MintedToken> MintSingleUseAsync() => MintAsync("--single-use");

    private async Task<MintedToken> MintAsync(string flag)
    {
        var build = stack.Proxy.Build;
        var result = await Command.RunAsync(build.Dotnet,
        [
            build.Assembly, "token", "create", "--redis", stack.Redis.Address, "--target", stack.Vm.Address, "--ttl", "600",
            "--base-url", stack.Proxy.BaseUrl, flag, "--output", "json",
        ], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonSerializer.Deserialize<MintedToken>(result.Output, JsonOptions)!;
    }
}
