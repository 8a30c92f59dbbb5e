using TestKit.Repository;

namespace ConsoleOperator.EndToEnd.Cluster;

/// <summary>
/// What tests/e2e/run.sh tells the suite about the cluster it prepared. Each one is required: run outside the
/// harness, the suite fails at once saying how to run it, rather than testing something else.
/// </summary>
public sealed record EndToEndSettings(string Kubeconfig, string VncHost, int VncPort, string RedisImage, string RepositoryRoot)
{
    public static EndToEndSettings FromEnvironment()
    {
        var kubeconfig = Required("KUBECONFIG");
        var target = Required("E2E_VNC_TARGET");
        var separator = target.LastIndexOf(':');
        if (separator <= 0 || !int.TryParse(target.AsSpan(separator + 1), out var port))
        {
            throw new InvalidOperationException($"E2E_VNC_TARGET must be HOST:PORT of the VM's VNC server, not '{target}'.");
        }

        return new EndToEndSettings(kubeconfig, target[..separator], port, Required("E2E_REDIS_IMAGE"), Checkout.Root);
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the end-to-end suite with `make e2e` (tests/e2e/run.sh brings up the cluster, "
                + "builds and imports the images and starts the VM).");
}
