using ConsoleOperator.EndToEnd.Browser;
using ConsoleOperator.EndToEnd.Cluster;

namespace ConsoleOperator.EndToEnd;

/// <summary>A managed proxy fleet serves a console to a real VM through a proxy pod; revoking the token ends it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConsoleSessionTests(OperatorInstallation cluster)
{
    [Fact]
    public async Task A_token_URL_opens_the_VM_console_and_deleting_the_ConsoleToken_closes_it_with_4001()
    {
        await using var fleet = await ProxyFleet.CreateAsync(cluster, "session");

        var proxies = await fleet.PodsAsync("proxy");
        var redis = await fleet.PodsAsync("token-store");
        Assert.Equal(2, proxies.Count);
        Assert.All(proxies, pod => Assert.True(PodJson.IsReady(pod) && PodJson.Phase(pod) == "Running", PodJson.Name(pod)));
        Assert.True(PodJson.IsReady(Assert.Single(redis)), "the managed Redis pod is Ready");

        var url = await fleet.CreateTokenAsync("vm-console");
        Assert.StartsWith($"http://{fleet.PublicHost}:{ProxyFleet.ServicePort}/vnc_lite.html?path=websockify%3Ftoken%3D", url, StringComparison.Ordinal);
        await using var browser = await ConsoleBrowser.LaunchAsync(fleet.PublicHost, await fleet.ServiceClusterIpAsync());
        await using var page = await browser.OpenAsync(url);
        await page.WaitForPictureAsync(TimeSpan.FromSeconds(30));

        await cluster.Kubectl.OutputAsync("delete", "consoletoken", "-n", fleet.Namespace, "vm-console", "--wait=false");

        Assert.Equal(4001, await page.WaitForCloseAsync(TimeSpan.FromSeconds(30)));
    }
}
