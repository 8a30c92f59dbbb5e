using System.Text.Json;
using TestKit.Processes;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// Everything a console in a browser needs, all real, shared by the browser tests: a redis-server,
/// a VM console (QEMU's VNC server showing its BIOS), a serial console (a shell behind socat), the built proxy
/// serving both kinds, each allowed to reach its own console only, and Chromium.
/// </summary>
public sealed class ConsoleStack : IAsyncLifetime
{
    private RedisServer? _redis;
    private QemuVncServer? _vm;
    private SerialShell? _shell;
    private ConsoleProxyProcess? _proxy;
    private Chromium? _chromium;

    public RedisServer Redis => _redis ?? throw NotStarted();

    public QemuVncServer Vm => _vm ?? throw NotStarted();

    public SerialShell Shell => _shell ?? throw NotStarted();

    public ConsoleProxyProcess Proxy => _proxy ?? throw NotStarted();

    public Chromium Chromium => _chromium ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        var redis = RedisServer.StartAsync();
        var vm = QemuVncServer.StartAsync();
        var chromium = Chromium.LaunchAsync();
        var shell = SerialShell.StartAsync();
        try
        {
            await Task.WhenAll(redis, vm, chromium, shell);
        }
        catch
        {
            // Stop whatever did start: a failed fixture is never disposed by the test runner.
            await DisposeIfStartedAsync(redis);
            await DisposeIfStartedAsync(vm);
            await DisposeIfStartedAsync(chromium);
            await DisposeIfStartedAsync(shell);
            throw;
        }

        _redis = await redis;
        _vm = await vm;
        _chromium = await chromium;
        _shell = await shell;
        try
        {
            _proxy = await ConsoleProxyProcess.StartAsync(
                Redis.Address,
                "--allowed-target", $"127.0.0.1/32:{Vm.Port}",
                "--kinds", "vnc,serial",
                "--serial-allowed-target", $"127.0.0.1/32:{Shell.Port}");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs a script in a page from the proxy, where it can import the console pages' modules
    /// (`await import('/console/settings.js')`), and returns its result.
    /// </summary>
    public async Task<JsonElement> EvaluateInProxyPageAsync(string script, object argument)
    {
        // Any document from the proxy will do; a plain text one loads fastest.
        await using var page = await Chromium.OpenAsync($"{Proxy.BaseUrl}/LICENSE.txt");
        return await page.Page.EvaluateAsync<JsonElement>(script, argument);
    }

    public Task<MintedToken> MintTokenForTheVmAsync() => Proxy.MintTokenAsync(Vm.Address, TimeSpan.FromMinutes(10));

    /// <summary>A `--kind serial` token for the shell, minted by `consoleproxy token create` (more options appended).</summary>
    public Task<MintedToken> MintSerialTokenAsync(params string[] options) =>
        Proxy.MintTokenAsync(Shell.Address, TimeSpan.FromMinutes(10), ["--kind", "serial", .. options]);

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_vm is not null)
        {
            await _vm.DisposeAsync();
        }

        if (_shell is not null)
        {
            await _shell.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private static async Task DisposeIfStartedAsync<T>(Task<T> starting)
        where T : IAsyncDisposable
    {
        if (starting.IsCompletedSuccessfully)
        {
            await (await starting).DisposeAsync();
        }
    }

    private static InvalidOperationException NotStarted() => new("the console stack has not started");
}
