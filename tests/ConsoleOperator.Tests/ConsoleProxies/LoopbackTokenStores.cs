using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.TokenStores;

namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>Dials a managed token store (a Service name only a cluster resolves) at a real redis-server on loopback instead.</summary>
public sealed class LoopbackTokenStores(string managedAddress) : ITokenStoreAddressResolver
{
    public string Resolve(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint) => endpoint.IsManaged ? managedAddress : endpoint.Address;
}
