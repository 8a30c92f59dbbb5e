using System.Text.Json.Nodes;
using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using ConsoleOperator.OnRealApiServer.Tests.Crds;
using ConsoleOperator.OnRealApiServer.Tests.Yaml;
using TestKit.Processes;
using k8s;
using k8s.Models;

namespace ConsoleOperator.OnRealApiServer.Tests.Install;

/// <summary>
/// A namespace with a ConsoleProxy whose token store is a real redis-server on loopback (with a password from a
/// Secret): the managed Redis would be a Deployment, and with no kubelet it never runs. By default its targets are
/// made up (nothing connects to them); a test that runs a real `consoleproxy serve` names the proxy's public URL and
/// its real targets.
/// </summary>
public sealed class ExternalStoreConsole : IAsyncDisposable
{
    public const string ProxyName = "consoles";
    public const string TargetHost = "10.20.3.17";

    private ExternalStoreConsole(string ns, RedisServer redis, string proxyUid)
    {
        Namespace = ns;
        Redis = redis;
        ProxyUid = proxyUid;
    }

    public string Namespace { get; }

    public RedisServer Redis { get; }

    public string ProxyUid { get; }

    /// <param name="publicUrl">The ConsoleProxy's publicURL (the access URLs' base).</param>
    /// <param name="allowedTargets">Its spec.tokens.allowedTargets entry.</param>
    public static async Task<ExternalStoreConsole> CreateAsync(
        RealApiServer cluster,
        string prefix,
        CancellationToken cancellationToken,
        string publicUrl = "https://console.example.com",
        string allowedTargets = "10.20.0.0/16:5900-5999")
    {
        var redis = await RedisServer.StartAsync(password: Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)));
        try
        {
            var ns = await cluster.CreateNamespaceAsync(prefix, cancellationToken);
            await cluster.Admin.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret { Metadata = new V1ObjectMeta { Name = "redis" }, StringData = new Dictionary<string, string> { ["password"] = redis.Password! } },
                ns, cancellationToken: cancellationToken);
            var proxy = await CustomObjects.ConsoleProxies(cluster.Admin).CreateAsync(ns, YamlDocuments.ParseSingle($"""
                apiVersion: consoleoperator.dev/v1alpha1
                kind: ConsoleProxy
                metadata:
                  name: {ProxyName}
                spec:
                  publicURL: {publicUrl}
                  tokenStore:
                    external:
                      address: {redis.Address}
                      passwordSecretRef:
                        name: redis
                        key: password
                  tokens:
                    allowedTargets: ["{allowedTargets}"]
                """), cancellationToken);
            return new ExternalStoreConsole(ns, redis, proxy["metadata"]!["uid"]!.GetValue<string>());
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The store's key prefix for this ConsoleProxy, as the operator hands it to the proxy's pods (a `consoleproxy
    /// serve` started by a test needs it to find the operator's tokens).
    /// </summary>
    public string KeyPrefix => $"consoleproxy:{Namespace}:{ProxyName}:";

    /// <summary>The environment a proxy pod gets for this store: its password, never on the command line.</summary>
    public IReadOnlyDictionary<string, string?> ProxyEnvironment => new Dictionary<string, string?> { ["CONSOLEPROXY_REDIS_PASSWORD"] = Redis.Password };

    public static JsonObject Token(string name, int port, string host = TargetHost) => YamlDocuments.ParseSingle($"""
        apiVersion: consoleoperator.dev/v1alpha1
        kind: ConsoleToken
        metadata:
          name: {name}
        spec:
          proxyRef:
            name: {ProxyName}
          target:
            host: {host}
            port: {port}
          ttlSeconds: 900
        """);

    public ValueTask DisposeAsync() => Redis.DisposeAsync();
}
