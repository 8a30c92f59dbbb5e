using TestKit.Processes;
using TestKit.Repository;

namespace TestKit.Kubernetes;

/// <summary>kubectl from <see cref="KubeAssets"/>, as a user runs it against a kubeconfig (from the checkout's root).</summary>
public sealed class Kubectl(KubeAssets assets, string kubeconfig)
{
    public Task<CommandResult> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        Command.RunAsync(assets.Kubectl, ["--kubeconfig", kubeconfig, .. arguments], TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
}
