using TestKit.Browser;

namespace ConsoleOperator.EndToEnd.Browser;

/// <summary>
/// The kit's Chromium (Debian's, driven by Playwright, never a downloaded browser), resolving one proxy's public host name to
/// its Service's ClusterIP, as a DNS record would for users. Every page is the kit's <see cref="NoVncPage"/> and records
/// how its WebSockets closed.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    // Through the Service to a pod that may have just started: more than the kit's 15 s on loopback.
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(30);

    private readonly Chromium _chromium;

    private ConsoleBrowser(Chromium chromium) => _chromium = chromium;

    public static async Task<ConsoleBrowser> LaunchAsync(string publicHost, string serviceIp) =>
        new(await Chromium.LaunchAsync("--no-proxy-server", $"--host-resolver-rules=MAP {publicHost} {serviceIp}"));

    public Task<NoVncPage> OpenAsync(string url) => _chromium.OpenAsync(url, recordCloses: true, LoadTimeout);

    public ValueTask DisposeAsync() => _chromium.DisposeAsync();
}
