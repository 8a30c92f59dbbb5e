using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Hosting;
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

        Assert.Same(runtime.Tokens.Proxies, runtime.Proxies.Proxies);
        Assert.Single(runtime.Manager.InformerList, informer => informer.Name == ConsoleProxyController.ProxiesInformerName);
    }
}
