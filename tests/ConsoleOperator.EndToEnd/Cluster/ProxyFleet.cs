using System.Globalization;
using System.Text;
using System.Text.Json;
using TestKit.Kubernetes;

namespace ConsoleOperator.EndToEnd.Cluster;

/// <summary>
/// One ConsoleProxy with a managed token store, in a namespace of its own, as a user creates it with kubectl. Its
/// public URL is http://NAME.e2e.test:6080: the browser maps that name to the proxy Service's ClusterIP (which
/// kube-proxy routes to a proxy pod), so the console URL of a token's Secret is opened exactly as written.
/// </summary>
public sealed class ProxyFleet : IAsyncDisposable
{
    public const int ServicePort = 6080;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(180);
    private readonly OperatorInstallation _cluster;

    private ProxyFleet(OperatorInstallation cluster, string name)
    {
        _cluster = cluster;
        Name = name;
        Namespace = $"e2e-{name}";
    }

    public string Name { get; }

    public string Namespace { get; }

    public string PublicHost => $"{Name}.e2e.test";

    public string ProxyDeployment => $"{Name}-proxy";

    public string RedisDeployment => $"{Name}-redis";

    public Kubectl Kubectl => _cluster.Kubectl;

    public static async Task<ProxyFleet> CreateAsync(OperatorInstallation cluster, string name, int replicas = 2, Func<ProxyFleet, Task>? before = null, string? targetTlsSecret = null)
    {
        var fleet = new ProxyFleet(cluster, name);
        await cluster.Kubectl.ApplyAsync($"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {fleet.Namespace}
            """);
        if (before is not null)
        {
            await before(fleet);
        }

        await fleet.ApplyProxyAsync(replicas, idleTimeoutSeconds: 3600, targetTlsSecret);
        await fleet.WaitUntilReadyAsync();
        return fleet;
    }

    /// <summary>Applies the ConsoleProxy; another idle timeout changes the proxy pods' configuration, so they roll.</summary>
    public Task ApplyProxyAsync(int replicas, int idleTimeoutSeconds, string? targetTlsSecret = null)
    {
        // Authenticate to compute nodes with VeNCrypt where they ask for it, none where they do not (the e2e VM).
        var targetSecurity = targetTlsSecret is null ? string.Empty : $"""
              targetSecurity:
                authSchemes: [vencrypt, none]
                tlsSecretName: {targetTlsSecret}
            """;
        return Kubectl.ApplyAsync($"""
            apiVersion: consoleoperator.dev/v1alpha1
            kind: ConsoleProxy
            metadata:
              name: {Name}
            spec:
              publicURL: http://{PublicHost}:{ServicePort}
              replicas: {replicas}
              tokenStore:
                managed:
                  image: {_cluster.Settings.RedisImage}
              sessions:
                idleTimeoutSeconds: {idleTimeoutSeconds}
              tokens:
                allowedTargets:
                  - {_cluster.Settings.VncHost}/32:5900-5999
            {targetSecurity}
            """, Namespace);
    }

    /// <summary>The ConsoleProxy reports Ready, and every proxy pod and the Redis pod are Running and Ready.</summary>
    public async Task WaitUntilReadyAsync()
    {
        await Kubectl.OutputAsync("wait", "-n", Namespace, $"consoleproxy/{Name}", "--for=condition=Ready", $"--timeout={ReadyTimeout.TotalSeconds}s");
        await Kubectl.OutputAsync("rollout", "status", "-n", Namespace, $"deployment/{ProxyDeployment}", $"--timeout={ReadyTimeout.TotalSeconds}s");
        await Kubectl.OutputAsync("rollout", "status", "-n", Namespace, $"deployment/{RedisDeployment}", $"--timeout={ReadyTimeout.TotalSeconds}s");
    }

    public async Task<IReadOnlyList<JsonElement>> PodsAsync(string component)
    {
        var pods = await Kubectl.GetJsonAsync("get", "pods", "-n", Namespace, "-l", $"app.kubernetes.io/instance={Name},app.kubernetes.io/component={component}");
        return [.. pods.GetProperty("items").EnumerateArray()];
    }

    public async Task<string> ServiceClusterIpAsync()
    {
        var service = await Kubectl.GetJsonAsync("get", "service", "-n", Namespace, ProxyDeployment);
        return service.GetProperty("spec").GetProperty("clusterIP").GetString()!;
    }

    /// <summary>Creates a ConsoleToken for the VM, waits until it is Active and returns the URL from its Secret.</summary>
    public async Task<string> CreateTokenAsync(string tokenName)
    {
        await Kubectl.ApplyAsync($"""
            apiVersion: consoleoperator.dev/v1alpha1
            kind: ConsoleToken
            metadata:
              name: {tokenName}
            spec:
              proxyRef:
                name: {Name}
              target:
                host: {_cluster.Settings.VncHost}
                port: {_cluster.Settings.VncPort.ToString(CultureInfo.InvariantCulture)}
              ttlSeconds: 900
            """, Namespace);
        await Kubectl.OutputAsync("wait", "-n", Namespace, $"consoletoken/{tokenName}", "--for=jsonpath={.status.phase}=Active", "--timeout=60s");
        return await TokenUrlAsync(tokenName);
    }

    /// <summary>Reads the URL as README says: the Secret named in the ConsoleToken's status, key url.</summary>
    public async Task<string> TokenUrlAsync(string tokenName)
    {
        var secretName = await Kubectl.OutputAsync("get", "consoletoken", "-n", Namespace, tokenName, "-o", "jsonpath={.status.secretName}");
        var encoded = await Kubectl.OutputAsync("get", "secret", "-n", Namespace, secretName, "-o", "jsonpath={.data.url}");
        return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
    }

    public async ValueTask DisposeAsync() =>
        await Kubectl.RunAsync(["delete", "namespace", Namespace, "--wait=false"]);
}
