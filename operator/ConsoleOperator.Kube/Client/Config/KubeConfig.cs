using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>
/// One or more kubeconfig files merged as kubectl merges KUBECONFIG: files in order, the first definition of a
/// cluster/context/user name wins, and the first non-empty current-context wins. Relative file paths are resolved
/// against the directory of the file that names them, at load time.
/// </summary>
public sealed class KubeConfig
{
    private readonly Dictionary<string, KubeConfigCluster> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeConfigContext> _contexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeConfigUser> _users = new(StringComparer.Ordinal);

    private KubeConfig()
    {
    }

    public string? CurrentContext { get; private set; }

    public IReadOnlyCollection<string> ContextNames => _contexts.Keys;

    /// <summary>The files named by KUBECONFIG (separated by the platform's path separator), else ~/.kube/config.</summary>
    public static KubeConfig LoadFromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var kubeconfig = environment("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(kubeconfig))
        {
            var paths = kubeconfig.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // kubectl skips listed files that do not exist; at least one must.
            var existing = paths.Where(File.Exists).ToList();
            if (existing.Count == 0)
            {
                throw new FileNotFoundException($"none of the KUBECONFIG files exists: {kubeconfig}");
            }

            return LoadFiles(existing);
        }

        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return LoadFiles([Path.Combine(home, ".kube", "config")]);
    }

    public static KubeConfig LoadFiles(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var merged = new KubeConfig();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            merged.Merge(Parse(File.ReadAllText(full), full), Path.GetDirectoryName(full)!);
        }

        return merged;
    }

    /// <summary>Parses kubeconfig text; <paramref name="baseDirectory"/> anchors relative paths.</summary>
    public static KubeConfig LoadText(string yaml, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);
        var config = new KubeConfig();
        config.Merge(Parse(yaml, "(inline kubeconfig)"), baseDirectory);
        return config;
    }

    /// <summary>The client configuration of a context (the current one when null).</summary>
    public KubernetesClientConfiguration ToClientConfiguration(string? contextName = null, TimeProvider? timeProvider = null)
    {
        contextName ??= CurrentContext
            ?? throw new InvalidOperationException("the kubeconfig has no current-context and no context was named");
        if (!_contexts.TryGetValue(contextName, out var context))
        {
            throw new InvalidOperationException($"the kubeconfig has no context '{contextName}'");
        }

        if (context.Cluster is null || !_clusters.TryGetValue(context.Cluster, out var cluster))
        {
            throw new InvalidOperationException($"context '{contextName}' names cluster '{context.Cluster}', which the kubeconfig does not define");
        }

        if (string.IsNullOrWhiteSpace(cluster.Server) || !Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server)
            || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"cluster '{context.Cluster}' has no valid http(s) server URL: '{cluster.Server}'");
        }

        if (cluster.InsecureSkipTlsVerify)
        {
            throw new InvalidOperationException($"cluster '{context.Cluster}' sets insecure-skip-tls-verify; this client always verifies TLS. Give it certificate-authority(-data) instead");
        }

        KubeConfigUser? user = null;
        if (context.User is not null && !_users.TryGetValue(context.User, out user))
        {
            throw new InvalidOperationException($"context '{contextName}' names user '{context.User}', which the kubeconfig does not define");
        }

        return new KubernetesClientConfiguration
        {
            Server = server,
            CertificateAuthorities = LoadAuthorities(cluster),
            TlsServerName = string.IsNullOrWhiteSpace(cluster.TlsServerName) ? null : cluster.TlsServerName,
            ClientCertificate = user is null ? null : LoadClientCertificate(user, context.User!),
            Token = user is null ? null : TokenSourceFor(user, timeProvider ?? TimeProvider.System),
            Namespace = string.IsNullOrWhiteSpace(context.Namespace) ? null : context.Namespace,
        };
    }

    private static KubeConfigFile Parse(string yaml, string source)
    {
        var deserializer = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();
        try
        {
            return deserializer.Deserialize<KubeConfigFile?>(yaml) ?? new KubeConfigFile();
        }
        catch (YamlException e)
        {
            throw new InvalidOperationException($"{source} is not a valid kubeconfig: {e.Message}", e);
        }
    }

    private void Merge(KubeConfigFile file, string baseDirectory)
    {
        if (string.IsNullOrEmpty(CurrentContext) && !string.IsNullOrWhiteSpace(file.CurrentContext))
        {
            CurrentContext = file.CurrentContext;
        }

        foreach (var entry in file.Clusters ?? [])
        {
            if (entry.Name is not null && entry.Cluster is not null && !_clusters.ContainsKey(entry.Name))
            {
                entry.Cluster.CertificateAuthority = Resolve(entry.Cluster.CertificateAuthority, baseDirectory);
                _clusters[entry.Name] = entry.Cluster;
            }
        }

        foreach (var entry in file.Contexts ?? [])
        {
            if (entry.Name is not null && entry.Context is not null)
            {
                _contexts.TryAdd(entry.Name, entry.Context);
            }
        }

        foreach (var entry in file.Users ?? [])
        {
            if (entry.Name is not null && entry.User is not null && !_users.ContainsKey(entry.Name))
            {
                entry.User.ClientCertificate = Resolve(entry.User.ClientCertificate, baseDirectory);
                entry.User.ClientKey = Resolve(entry.User.ClientKey, baseDirectory);
                entry.User.TokenFile = Resolve(entry.User.TokenFile, baseDirectory);
                _users[entry.Name] = entry.User;
            }
        }
    }

    private static string? Resolve(string? path, string baseDirectory) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, baseDirectory);

    private static X509Certificate2Collection? LoadAuthorities(KubeConfigCluster cluster)
    {
        var pem = PemFrom(cluster.CertificateAuthorityData, cluster.CertificateAuthority, "certificate-authority");
        if (pem is null)
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPem(pem);
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException("certificate-authority holds no PEM certificate");
        }

        return authorities;
    }

    private static X509Certificate2? LoadClientCertificate(KubeConfigUser user, string userName)
    {
        var certificate = PemFrom(user.ClientCertificateData, user.ClientCertificate, "client-certificate");
        var key = PemFrom(user.ClientKeyData, user.ClientKey, "client-key");
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            throw new InvalidOperationException($"user '{userName}' has a client certificate or a client key but not both");
        }

        return X509Certificate2.CreateFromPem(certificate, key);
    }

    private static ITokenSource? TokenSourceFor(KubeConfigUser user, TimeProvider timeProvider)
    {
        if (user.Exec is not null || user.AuthProvider is not null)
        {
            throw new NotSupportedException("kubeconfig users with exec or auth-provider plugins are not supported; use a token, a tokenFile or a client certificate");
        }

        if (!string.IsNullOrWhiteSpace(user.Token))
        {
            return new StaticTokenSource(user.Token);
        }

        return user.TokenFile is null ? null : new FileTokenSource(user.TokenFile, timeProvider);
    }

    /// <summary>Inline <c>*-data</c> (base64 of PEM) wins over the file, as in client-go.</summary>
    private static string? PemFrom(string? base64Data, string? path, string what)
    {
        if (!string.IsNullOrWhiteSpace(base64Data))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(base64Data.Trim()));
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"{what}-data is not valid base64", e);
            }
        }

        return path is null ? null : File.ReadAllText(path);
    }
}
