using TestKit.Browser;
using ConsoleOperator.EndToEnd.Browser;
using ConsoleOperator.EndToEnd.Cluster;

namespace ConsoleOperator.EndToEnd;

/// <summary>A spec change rolls the proxy pods; their live sessions are drained with 1001, never cut (1006).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RolloutTests(OperatorInstallation cluster)
{
    // preStop sleep (5 s) + the proxy's drain period (25 s), with room for a loaded machine.
    private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(75);

    [Fact]
    public async Task Changing_the_ConsoleProxy_spec_rolls_the_proxy_pods_and_live_sessions_end_with_1001()
    {
        await using var fleet = await ProxyFleet.CreateAsync(cluster, "rollout");
        var url = await fleet.CreateTokenAsync("vm-console");
        var before = (await fleet.PodsAsync("proxy")).Select(PodJson.Name).ToHashSet();
        await using var browser = await ConsoleBrowser.LaunchAsync(fleet.PublicHost, await fleet.ServiceClusterIpAsync());
        // Several sessions: the Service spreads them over both pods, and every pod is replaced.
        var pages = new List<NoVncPage>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var page = await browser.OpenAsync(url);
                pages.Add(page);
                await page.WaitForPictureAsync(TimeSpan.FromSeconds(30));
            }

            await fleet.ApplyProxyAsync(replicas: 2, idleTimeoutSeconds: 1800);

            foreach (var page in pages)
            {
                Assert.Equal(1001, await page.WaitForCloseAsync(DrainBound));
            }
        }
        finally
        {
            foreach (var page in pages)
            {
                await page.DisposeAsync();
            }
        }

        await fleet.WaitUntilReadyAsync();
        var after = (await fleet.PodsAsync("proxy")).Where(p => !p.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _)).Select(PodJson.Name).ToHashSet();
        Assert.Empty(before.Intersect(after));
        await using var again = await browser.OpenAsync(url);
        await again.WaitForPictureAsync(TimeSpan.FromSeconds(30));
    }
}
