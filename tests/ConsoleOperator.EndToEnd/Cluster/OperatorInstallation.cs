using TestKit.Kubernetes;

namespace ConsoleOperator.EndToEnd.Cluster;

/// <summary>
/// The operator installed exactly as README's "Install on a cluster" says: `kubectl apply -k operator/deploy` from
/// the repository, with the images `make images` built already in the node's image store. Shared by the whole suite.
/// </summary>
public sealed class OperatorInstallation : IAsyncLifetime
{
    public const string Namespace = "console-operator";
    public const string Deployment = "console-operator";
    public const string LeaseName = "console-operator-leader";

    public OperatorInstallation()
    {
        Settings = EndToEndSettings.FromEnvironment();
        Kubectl = Kubectl.OnPath(Settings.Kubeconfig, TimeSpan.FromSeconds(60));
    }

    public EndToEndSettings Settings { get; }

    public Kubectl Kubectl { get; }

    public string InstallOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        InstallOutput = await Kubectl.OutputAsync("apply", "-k", Path.Combine(Settings.RepositoryRoot, "operator", "deploy"));
        await WaitForOperatorReadyAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public Task WaitForOperatorReadyAsync() =>
        Kubectl.OutputAsync("rollout", "status", "-n", Namespace, $"deployment/{Deployment}", "--timeout=120s");

    /// <summary>The operator's pods that are Ready (not terminating).</summary>
    public async Task<IReadOnlyList<string>> ReadyOperatorPodsAsync()
    {
        var pods = await Kubectl.GetJsonAsync("get", "pods", "-n", Namespace, "-l", "app.kubernetes.io/name=console-operator");
        return [.. pods.GetProperty("items").EnumerateArray()
            .Where(pod => !pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _) && PodJson.IsReady(pod))
            .Select(pod => pod.GetProperty("metadata").GetProperty("name").GetString()!)];
    }

    public async Task<string?> LeaseHolderAsync()
    {
        var lease = await Kubectl.FindJsonAsync("get", "lease", "-n", Namespace, LeaseName);
        return lease is { } found && found.GetProperty("spec").TryGetProperty("holderIdentity", out var holder) ? holder.GetString() : null;
    }
}
