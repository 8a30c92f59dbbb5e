using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.TokenStores;

namespace ConsoleOperator.Tests.TokenStores;

/// <summary>Sends every token store connection to the test's redis-server on loopback, remembering what it was asked.</summary>
internal sealed class LoopbackAddressResolver(Func<string> address) : ITokenStoreAddressResolver
{
    public List<string> Asked { get; } = [];

    public string Resolve(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint)
    {
        lock (Asked)
        {
            Asked.Add(endpoint.Address);
        }

        return address();
    }
}
