using TestKit.Browser;
using System.Diagnostics;
using System.Globalization;
using ConsoleOperator.EndToEnd.Browser;
using ConsoleOperator.EndToEnd.Cluster;
using Xunit.Abstractions;

namespace ConsoleOperator.EndToEnd;

/// <summary>The managed Redis pod is killed (its data is gone): the operator rewrites the tokens and the URL works again.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TokenStoreRecoveryTests(OperatorInstallation cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_managed_Redis_pod_the_operator_rewrites_the_tokens_and_the_URL_works_again()
    {
        await using var fleet = await ProxyFleet.CreateAsync(cluster, "recovery");
        var url = await fleet.CreateTokenAsync("vm-console");
        await using var browser = await ConsoleBrowser.LaunchAsync(fleet.PublicHost, await fleet.ServiceClusterIpAsync());
        await using (var first = await browser.OpenAsync(url))
        {
            await first.WaitForPictureAsync(TimeSpan.FromSeconds(30));
        }

        var killed = PodJson.Name(Assert.Single(await fleet.PodsAsync("token-store")));
        var clock = Stopwatch.StartNew();
        await cluster.Kubectl.OutputAsync("delete", "pod", "-n", fleet.Namespace, killed, "--grace-period=0", "--force");

        string? lastFailure = null;
        var works = await Eventually.GetAsync<string>(async () =>
        {
            try
            {
                await using var page = await browser.OpenAsync(url);
                return (await page.WaitForPictureAsync(TimeSpan.FromSeconds(5))).ToString();
            }
            catch (Exception e) when (e is TimeoutException or Microsoft.Playwright.PlaywrightException)
            {
                lastFailure = e.Message.Split('\n')[0];
                return null;
            }
        }, "the console URL works again", TimeSpan.FromSeconds(180));
        var recovered = clock.Elapsed;

        var redis = Assert.Single(await fleet.PodsAsync("token-store"));
        Assert.NotEqual(killed, PodJson.Name(redis));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"managed Redis pod killed -> console URL works again: {recovered.TotalSeconds:F1} s (screen: {works}; last failure before: {BrowserLogRedaction.Redact(lastFailure ?? "none")})");
        output.WriteLine(line);
        Measurements.Record(cluster.Settings, line);
    }
}
