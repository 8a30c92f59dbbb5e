using k8s;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConsoleOperator.Kube.Client.Configuration;

/// <summary>
/// Kubeconfig loading by the library (merged files, client certificates, exec plugins), with two additions it lacks:
/// a user's <c>tokenFile</c> (re-read as it rotates) and a refusal of <c>insecure-skip-tls-verify</c>, since this
/// operator always verifies TLS.
/// </summary>
public static class Kubeconfig
{
    /// <summary>KUBECONFIG's files (missing ones skipped, as kubectl does) or else ~/.kube/config.</summary>
    public static KubernetesClientConfiguration LoadFromEnvironment(Func<string, string?> environment, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var variable = environment("KUBECONFIG");
        if (string.IsNullOrWhiteSpace(variable))
        {
            var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return LoadFiles([Path.Combine(home, ".kube", "config")], null, timeProvider);
        }

        var existing = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).ToList();
        if (existing.Count == 0)
        {
            throw new FileNotFoundException($"none of the KUBECONFIG files exists: {variable}");
        }

        return LoadFiles(existing, null, timeProvider);
    }

    /// <summary>The files merged in order (the first definition of a name wins); <paramref name="context"/> null means current-context.</summary>
    public static KubernetesClientConfiguration LoadFiles(IReadOnlyList<string> paths, string? context, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var files = paths.Select(path => new FileInfo(path)).ToArray();
        var missing = files.FirstOrDefault(file => !file.Exists);
        if (missing is not null)
        {
            throw new FileNotFoundException($"the kubeconfig {missing.FullName} does not exist", missing.FullName);
        }

        K8SConfiguration merged;
        KubernetesClientConfiguration configuration;
        try
        {
            merged = Merge(files.Select(Load).ToList());
            // The library knows no tokenFile and refuses a user without credentials: it gets the file's current
            // token to accept the user, and the re-reading provider below takes that token's place.
            foreach (var user in merged.Users ?? [])
            {
                if (user.UserCredentials is { Token: null or "" } credentials && FindTokenFile(files, user.Name) is { } path)
                {
                    credentials.Token = File.ReadAllText(path).Trim();
                }
            }

            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, context);
        }
        catch (YamlException e)
        {
            throw new InvalidOperationException($"{string.Join(", ", paths)} is not a valid kubeconfig: {e.Message}", e);
        }

        if (!Uri.TryCreate(configuration.Host, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"context '{configuration.CurrentContext}' has no valid http(s) server URL: '{configuration.Host}'");
        }

        if (configuration.SkipTlsVerify)
        {
            throw new InvalidOperationException(
                $"context '{configuration.CurrentContext}' sets insecure-skip-tls-verify; this operator always verifies TLS. Give it certificate-authority(-data) instead");
        }

        if (server.Scheme == Uri.UriSchemeHttps && (configuration.SslCaCerts is null || configuration.SslCaCerts.Count == 0))
        {
            // The library would refuse it only when the client is built, with a message that names no context.
            throw new InvalidOperationException(
                $"context '{configuration.CurrentContext}' names an https server but no certificate-authority(-data) to verify it with");
        }

        var userName = merged.Contexts?.FirstOrDefault(c => c.Name == configuration.CurrentContext)?.ContextDetails?.User;
        if (configuration.TokenProvider is null && FindTokenFile(files, userName) is { } tokenFile)
        {
            configuration.TokenProvider = new FileTokenProvider(tokenFile, timeProvider);
            configuration.AccessToken = null;
        }

        return configuration;
    }

    /// <summary>
    /// One file, its relative paths made absolute against its own directory (the library resolves them against one
    /// file only, so a merge would break them).
    /// </summary>
    private static K8SConfiguration Load(FileInfo file)
    {
        var configuration = KubernetesClientConfiguration.LoadKubeConfig(file, useRelativePaths: false);
        var directory = file.DirectoryName!;
        foreach (var cluster in configuration.Clusters ?? [])
        {
            if (cluster.ClusterEndpoint is { CertificateAuthority: { Length: > 0 } authority } endpoint)
            {
                endpoint.CertificateAuthority = Path.GetFullPath(authority, directory);
            }
        }

        foreach (var user in configuration.Users ?? [])
        {
            if (user.UserCredentials is { } credentials)
            {
                credentials.ClientCertificate = string.IsNullOrEmpty(credentials.ClientCertificate) ? credentials.ClientCertificate : Path.GetFullPath(credentials.ClientCertificate, directory);
                credentials.ClientKey = string.IsNullOrEmpty(credentials.ClientKey) ? credentials.ClientKey : Path.GetFullPath(credentials.ClientKey, directory);
            }
        }

        return configuration;
    }

    /// <summary>kubectl's merge: the first current-context set and the first definition of each name win.</summary>
    private static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> files) => new()
    {
        CurrentContext = files.Select(file => file.CurrentContext).FirstOrDefault(name => !string.IsNullOrEmpty(name)),
        Clusters = files.SelectMany(file => file.Clusters ?? []).DistinctBy(cluster => cluster.Name).ToList(),
        Contexts = files.SelectMany(file => file.Contexts ?? []).DistinctBy(context => context.Name).ToList(),
        Users = files.SelectMany(file => file.Users ?? []).DistinctBy(user => user.Name).ToList(),
    };

    /// <summary>The first file that defines the user decides, as in the merge; the path is relative to that file.</summary>
    private static string? FindTokenFile(FileInfo[] files, string? user)
    {
        if (user is null)
        {
            return null;
        }

        foreach (var file in files)
        {
            var entry = Entry(LoadYaml(file), "users", user, "user");
            if (entry is not null)
            {
                var path = entry.Child("tokenFile");
                return path is null ? null : Path.GetFullPath(path, file.DirectoryName!);
            }
        }

        return null;
    }

    private static YamlMappingNode? Entry(YamlMappingNode? root, string list, string name, string body)
    {
        if (root is null || !root.Children.TryGetValue(new YamlScalarNode(list), out var entries) || entries is not YamlSequenceNode sequence)
        {
            return null;
        }

        var named = sequence.Children.OfType<YamlMappingNode>().FirstOrDefault(entry => entry.Child("name") == name);
        return named is not null && named.Children.TryGetValue(new YamlScalarNode(body), out var value) ? value as YamlMappingNode : null;
    }

    private static YamlMappingNode? LoadYaml(FileInfo file)
    {
        using var reader = file.OpenText();
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
    }

    private static string? Child(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
