namespace TestKit.Kubernetes;

/// <summary>
/// The folder with kube-apiserver, etcd and kubectl, by envtest's convention: $KUBEBUILDER_ASSETS, else
/// /usr/local/kubebuilder/bin. `make deps` fills it; a missing binary fails the test with what to do.
/// </summary>
public sealed class KubeAssets
{
    public const string EnvironmentVariable = "KUBEBUILDER_ASSETS";

    public const string DefaultDirectory = "/usr/local/kubebuilder/bin";

    private KubeAssets(string directory) => Directory = directory;

    public string Directory { get; }

    public string KubeApiServer => Binary("kube-apiserver");

    public string Etcd => Binary("etcd");

    public string Kubectl => Binary("kubectl");

    public static KubeAssets Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return In(string.IsNullOrWhiteSpace(configured) ? DefaultDirectory : configured);
    }

    /// <summary>The assets in a given folder (what <see cref="Find"/> resolves to).</summary>
    public static KubeAssets In(string directory) => new(directory);

    private string Binary(string name)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            var source = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 }
                ? $"${EnvironmentVariable}"
                : $"the default {DefaultDirectory} ({EnvironmentVariable} is not set)";
            throw new InvalidOperationException(
                $"'{name}' is not in {Directory}, {source}. Run `make deps` (it fills {DefaultDirectory}) or set " +
                $"{EnvironmentVariable} to a folder with kube-apiserver, etcd and kubectl (e.g. from setup-envtest).");
        }

        return path;
    }
}
