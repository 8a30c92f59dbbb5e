using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.TokenStore;

namespace ConsoleOperator.TokenStores;

/// <summary>
/// Where the operator dials a ConsoleProxy's token store. In a cluster that is the endpoint's own address (the
/// managed Redis Service's DNS name, or the external address); an operator run from outside the cluster, or a
/// test with Redis on loopback, maps it elsewhere.
/// </summary>
public interface ITokenStoreAddressResolver
{
    /// <summary>HOST:PORT (IPv6 in brackets) to connect to for <paramref name="endpoint"/> of <paramref name="proxy"/>.</summary>
    string Resolve(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint);
}
