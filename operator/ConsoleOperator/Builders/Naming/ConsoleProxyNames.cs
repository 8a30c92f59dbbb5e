using ConsoleOperator.Api.Proxies;

namespace ConsoleOperator.Builders.Naming;

/// <summary>
/// The names of everything the operator creates for a ConsoleProxy, in one place so the builders,
/// the controller (which reads some of them back) and the token controller (which needs the Redis
/// address and key prefix) never disagree.
/// </summary>
public sealed record ConsoleProxyNames
{
    /// <summary>
    /// The longest ConsoleProxy name whose derived Service names (`&lt;name&gt;-proxy`, `&lt;name&gt;-redis`)
    /// still fit a DNS-1035 label (63 characters).
    /// </summary>
    public const int MaxProxyNameLength = 63 - 6;

    public ConsoleProxyNames(string proxyName, string proxyNamespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(proxyName);
        ArgumentException.ThrowIfNullOrEmpty(proxyNamespace);
        ProxyName = proxyName;
        Namespace = proxyNamespace;
    }

    public string ProxyName { get; }

    public string Namespace { get; }

    /// <summary>The proxy's ServiceAccount, ConfigMap, Deployment, Service, PDB, HPA and NetworkPolicy.</summary>
    public string Proxy => ProxyName + "-proxy";

    /// <summary>The managed Redis Deployment and Service.</summary>
    public string Redis => ProxyName + "-redis";

    /// <summary>The Secret holding the managed Redis password.</summary>
    public string RedisAuthSecret => ProxyName + "-redis-auth";

    /// <summary>The Secret with the keys that seal VNC passwords in token records (operator-managed, mounted in the pods).</summary>
    public string VncPasswordKeySecret => ProxyName + "-vnc-password-key";

    /// <summary>
    /// The key prefix of this proxy's tokens. It includes namespace and name so several proxies can share one
    /// external Redis without seeing each other's tokens; the proxy pods and the token minting must use the same one.
    /// </summary>
    public string KeyPrefix => $"consoleproxy:{Namespace}:{ProxyName}:";

    /// <summary>The in-cluster DNS name of the managed Redis Service, resolvable from any namespace (the operator's too).</summary>
    public string RedisHost => $"{Redis}.{Namespace}.svc";

    public static ConsoleProxyNames For(ConsoleProxyResource proxy)
    {
        var name = proxy.Metadata.Name ?? throw new ArgumentException("the ConsoleProxy has no metadata.name", nameof(proxy));
        var ns = proxy.Metadata.NamespaceProperty ?? throw new ArgumentException($"the ConsoleProxy '{name}' has no metadata.namespace", nameof(proxy));
        return new ConsoleProxyNames(name, ns);
    }
}
