using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Tests.Builders;
using ConsoleOperator.Tests.ConsoleProxies;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Tests.Hosting;

public sealed class OperatorRuntimeTests
{
    [Fact]
    public async Task The_token_and_proxy_controllers_list_and_watch_ConsoleProxies_through_one_informer()
    {
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var runtime = OperatorRuntime.Create(
            cluster.Operator,
            new OperatorSettings { Identity = "operator-a", Defaults = SampleProxies.Defaults },
            new MetricsRegistry(),
            TimeProvider.System,
            NullLoggerFactory.Instance);

        var proxies = (Controller<ConsoleProxyResource>)runtime.Manager.Controllers.Single(c => c.Name == ConsoleProxyController.Name);
        var tokens = runtime.Manager.Controllers.Single(c => c.Name == ConsoleTokenControllerRegistration.Name);
        Assert.Contains(proxies.Primary, tokens.Informers);
        Assert.Single(runtime.Manager.InformerList, informer => informer.Name == ConsoleProxyController.ProxiesInformerName);
    }
}
