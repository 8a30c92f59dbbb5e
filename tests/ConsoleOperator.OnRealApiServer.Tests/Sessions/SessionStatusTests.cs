using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using ConsoleOperator.OnRealApiServer.Tests.Crds;
using ConsoleOperator.OnRealApiServer.Tests.Install;
using TestKit.Browser;
using TestKit.Network;
using TestKit.Processes;
using k8s;

namespace ConsoleOperator.OnRealApiServer.Tests.Sessions;

/// <summary>
/// Who is connected, end to end with real parts: the console-operator process under its own RBAC on the real API
/// server, a real redis-server as the ConsoleProxy's token store, a real `consoleproxy serve` process redeeming the
/// operator's token and publishing its sessions, and real noVNC pages in Chromium on a QEMU VM's VNC console. ConsoleToken
/// status.sessions follows the pages (two, one, zero), ConsoleProxy status.activeSessions too, `kubectl get ctoken`
/// shows them, nothing is written while nothing changes (typing into the console included), and a killed proxy's
/// sessions leave status within the stated bound: the sessions' 15 s TTL plus one sweep period.
/// </summary>
[Collection(RealApiServerCollection.Name)]
public sealed class SessionStatusTests(RealApiServer cluster)
{
    private const string ProxyName = ExternalStoreConsole.ProxyName;
    private const int SweepSeconds = 1;
    private static readonly TimeSpan SessionTimeToLive = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Status_shows_two_sessions_then_one_then_none_writes_nothing_while_they_only_relay_and_drops_a_killed_proxys_within_the_bound()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var ct = timeout.Token;
        var kubeconfig = await OperatorInstallation.InstallAsync(cluster, ct);
        await using var vm = await QemuVncServer.StartAsync(typingScreen: true);
        await using var chromium = await Chromium.LaunchAsync();
        var proxyPort = FreeTcpPort.Next(IPAddress.Loopback);
        await using var console = await ExternalStoreConsole.CreateAsync(cluster, "sessions", ct, publicUrl: $"http://127.0.0.1:{proxyPort}", allowedTargets: "127.0.0.1/32");
        var ns = console.Namespace;
        await using var operatorProcess = OperatorInstallation.StartOperator(
            kubeconfig,
            // Its own namespace only: ConsoleProxies earlier tests left behind point at stopped redis-servers (each has
            // a sweep loop of its own, so they would not delay this one's status, but they would fill the log).
            options: ["--namespace", ns, "--session-sweep-seconds", SweepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var proxy = await ConsoleProxyProcess.StartAsync(
            proxyPort, console.Redis.Address, console.ProxyEnvironment,
            "--key-prefix", console.KeyPrefix, "--allowed-target", "127.0.0.1/32", "--instance-name", "proxy-a", "--drain-timeout", "0");
        await using var proxyProcess = proxy;
        string Log() => $"--- operator ---\n{operatorProcess.Output}\n--- proxy ---\n{proxy.Output}";
        var tokens = CustomObjects.ConsoleTokens(cluster.Admin);
        var proxies = CustomObjects.ConsoleProxies(cluster.Admin);

        await tokens.CreateAsync(ns, ExternalStoreConsole.Token("vm-1", vm.Port, host: "127.0.0.1"), ct);
        var active = await Eventually.GetAsync(
            c => tokens.GetAsync(ns, "vm-1", c), t => t["status"]?["phase"]?.GetValue<string>() == "Active", "the token is Active", Converge, Log, ct);
        Assert.Null(active["status"]!["sessions"]);
        var url = await AccessUrlAsync(ns, active, ct);

        // Two noVNC pages on the one token: both listed, with the pod and the client, and counted on the ConsoleProxy.
        // (Each is closed by the test below; closing the browser closes any a failure left open.)
        var first = await OpenConsoleAsync(chromium, url, Log);
        var second = await OpenConsoleAsync(chromium, url, Log);
        var two = await Eventually.GetAsync(c => tokens.GetAsync(ns, "vm-1", c), t => Count(t) == 2, "status.sessions.count is 2", Converge, Log, ct);
        var current = two["status"]!["sessions"]!["current"]!.AsArray();
        Assert.Equal(2, current.Count);
        Assert.All(current, session =>
        {
            Assert.Equal("proxy-a", session!["pod"]!.GetValue<string>());
            Assert.StartsWith("127.0.0.1", session["client"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.False(session["viewOnly"]!.GetValue<bool>());
            Assert.True(DateTimeOffset.UtcNow - session["since"]!.GetValue<DateTimeOffset>() < Converge);
        });
        Assert.NotNull(two["status"]!["lastConnectedAt"]);
        // The fields belong to the sweep's own field manager, so the token controller's status applies leave them.
        Assert.Contains(two["metadata"]!["managedFields"]!.AsArray(), entry =>
            entry!["manager"]!.GetValue<string>() == "console-operator-sessions" && entry["subresource"]?.GetValue<string>() == "status");
        await Eventually.GetAsync(c => proxies.GetAsync(ns, ProxyName, c), p => p["status"]?["activeSessions"]?.GetValue<int>() == 2,
            "the ConsoleProxy's status.activeSessions is 2", Converge, Log, ct);

        // kubectl get ctoken has a SESSIONS column.
        var shown = await cluster.Kubectl.RunAsync(ct, "get", "ctoken", "vm-1", "-n", ns);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal("2", Column(shown.Output, "SESSIONS"));

        // The first page types into the VM's console for four sweep periods (its screen answers on both pages): no
        // status write at all (the bound's "none when nothing changed"; a keystroke never costs a write).
        var before = (await tokens.GetAsync(ns, "vm-1", ct))["metadata"]!["resourceVersion"]!.GetValue<string>();
        var proxyBefore = (await proxies.GetAsync(ns, ProxyName, ct))["metadata"]!["resourceVersion"]!.GetValue<string>();
        var typing = Stopwatch.StartNew();
        await first.Page.ClickAsync("canvas");
        while (typing.Elapsed < TimeSpan.FromSeconds(4 * SweepSeconds))
        {
            await first.Page.Keyboard.TypeAsync("info version", new Microsoft.Playwright.KeyboardTypeOptions { Delay = 20 });
            await first.Page.Keyboard.PressAsync("Enter");
        }

        Assert.Equal("connected", await first.StateAsync());
        Assert.Equal("connected", await second.StateAsync());
        Assert.Equal(before, (await tokens.GetAsync(ns, "vm-1", ct))["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(proxyBefore, (await proxies.GetAsync(ns, ProxyName, ct))["metadata"]!["resourceVersion"]!.GetValue<string>());

        // One closes: one left; the other closes: none, and lastConnectedAt stays.
        await first.DisposeAsync();
        var one = await Eventually.GetAsync(c => tokens.GetAsync(ns, "vm-1", c), t => Count(t) == 1, "status.sessions.count is 1", Converge, Log, ct);
        Assert.Single(one["status"]!["sessions"]!["current"]!.AsArray());
        await second.DisposeAsync();
        var none = await Eventually.GetAsync(c => tokens.GetAsync(ns, "vm-1", c), t => Count(t) == 0, "status.sessions.count is 0", Converge, Log, ct);
        Assert.Null(none["status"]!["sessions"]!["current"]);
        Assert.NotNull(none["status"]!["lastConnectedAt"]);
        await Eventually.GetAsync(c => proxies.GetAsync(ns, ProxyName, c), p => p["status"]?["activeSessions"]?.GetValue<int>() == 0,
            "the ConsoleProxy's status.activeSessions is 0", Converge, Log, ct);

        // A session on a proxy that is then killed: it cannot unpublish, so it leaves status when its TTL runs out.
        await using var orphan = await OpenConsoleAsync(chromium, url, Log);
        await Eventually.GetAsync(c => tokens.GetAsync(ns, "vm-1", c), t => Count(t) == 1, "the new session is shown", Converge, Log, ct);
        await proxy.KillAsync();
        var killed = Stopwatch.StartNew();
        var bound = SessionTimeToLive + TimeSpan.FromSeconds(SweepSeconds);
        await Eventually.GetAsync(c => tokens.GetAsync(ns, "vm-1", c), t => Count(t) == 0, "the killed proxy's session left status", Converge, Log, ct);
        var gone = killed.Elapsed;
        // Plus what polling and a loaded machine add: the API write and this test's 200 ms reads.
        Assert.True(gone <= bound + TimeSpan.FromSeconds(3), $"the killed proxy's session left status after {gone}, more than the bound {bound} (+3 s)");
        Assert.True(gone >= SessionTimeToLive - TimeSpan.FromSeconds(6), $"the session left after {gone}: sooner than its TTL allows, so something else removed it");

        Assert.DoesNotContain("forbidden", operatorProcess.Output, StringComparison.OrdinalIgnoreCase);
        var exitCode = await operatorProcess.TerminateAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{Log()}");
    }

    private static int? Count(JsonObject token) => token["status"]?["sessions"]?["count"]?.GetValue<int>();

    private async Task<string> AccessUrlAsync(string ns, JsonObject token, CancellationToken cancellationToken)
    {
        var secret = await cluster.Admin.CoreV1.ReadNamespacedSecretAsync(token["status"]!["secretName"]!.GetValue<string>(), ns, cancellationToken: cancellationToken);
        return Encoding.UTF8.GetString(secret.Data["url"]);
    }

    /// <summary>The value in <paramref name="column"/> of the first row of `kubectl get` output.</summary>
    private static string Column(string output, string column)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var at = lines[0].IndexOf(column, StringComparison.Ordinal);
        Assert.True(at >= 0, $"no {column} column in:\n{output}");
        var rest = lines[1][at..];
        var end = rest.IndexOf(' ', StringComparison.Ordinal);
        return end < 0 ? rest.Trim() : rest[..end];
    }

    /// <summary>The access URL opened in Chromium as a person would: the proxy's noVNC page, connected, showing the VM's screen.</summary>
    private static async Task<NoVncPage> OpenConsoleAsync(Chromium chromium, string accessUrl, Func<string> log)
    {
        var page = await chromium.OpenAsync(accessUrl);
        try
        {
            var state = await page.WaitForStateAsync(TimeSpan.FromSeconds(30), "connected", "disconnected", "failed");
            Assert.True(state == "connected", $"the console page is {state}: '{await page.StatusTextAsync()}'\n{page.ConsoleLog}\n{log()}");
            await page.WaitForPictureAsync(TimeSpan.FromSeconds(30));
            return page;
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }
    }
}
