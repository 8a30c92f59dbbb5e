using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.TokenStore;

namespace ConsoleOperator.TokenStores;

/// <summary>Dials the address the proxy pods use: right for an operator running inside the cluster.</summary>
public sealed class EndpointAddressResolver : ITokenStoreAddressResolver
{
    public static EndpointAddressResolver Instance { get; } = new();

    public string Resolve(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Address;
    }
}
