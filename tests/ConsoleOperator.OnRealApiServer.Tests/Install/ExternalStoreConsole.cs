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
/// Secret): the managed Redis would be a Deployment, and with no kubelet it never runs.
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

    public static async Task<ExternalStoreConsole> CreateAsync(RealApiServer cluster, string prefix, CancellationToken cancellationToken)
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
                  publicURL: https://console.example.com
                  tokenStore:
                    external:
                      address: {redis.Address}
                      passwordSecretRef:
                        name: redis
                        key: password
                  tokens:
                    allowedTargets: ["10.20.0.0/16:5900-5999"]
                """), cancellationToken);
            return new ExternalStoreConsole(ns, redis, proxy["metadata"]!["uid"]!.GetValue<string>());
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    public static JsonObject Token(string name, int port) => YamlDocuments.ParseSingle($"""
        apiVersion: consoleoperator.dev/v1alpha1
        kind: ConsoleToken
        metadata:
          name: {name}
        spec:
          proxyRef:
            name: {ProxyName}
          target:
            host: {TargetHost}
            port: {port}
          ttlSeconds: 900
        """);

    public ValueTask DisposeAsync() => Redis.DisposeAsync();
}
