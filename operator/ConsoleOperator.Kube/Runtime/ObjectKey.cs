using System.Diagnostics.CodeAnalysis;

namespace ConsoleOperator.Kube.Runtime;

/// <summary>
/// The identity of a Kubernetes object within one resource type: what informers index by and what
/// work queues carry (never the object itself, which would be stale by the time it is processed).
/// Written as <c>namespace/name</c>, or just <c>name</c> for cluster-scoped objects, like client-go's
/// <c>MetaNamespaceKeyFunc</c>.
/// </summary>
public readonly record struct ObjectKey
{
    private readonly string? _namespace;
    private readonly string? _name;

    public ObjectKey(string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (@namespace.Contains('/', StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Neither namespace '{@namespace}' nor name '{name}' may contain '/'.");
        }

        _namespace = @namespace;
        _name = name;
    }

    /// <summary>The namespace, empty for a cluster-scoped object.</summary>
    public string Namespace => _namespace ?? string.Empty;

    /// <summary>The name; empty only for <c>default(ObjectKey)</c>, which no object has.</summary>
    public string Name => _name ?? string.Empty;

    public bool IsClusterScoped => Namespace.Length == 0;

    public static ObjectKey Cluster(string name) => new(string.Empty, name);

    public static ObjectKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var key)
            ? key
            : throw new FormatException($"'{text}' is not an object key: expected 'namespace/name' or 'name'.");
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out ObjectKey key)
    {
        key = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            key = Cluster(text);
            return true;
        }

        var name = text[(slash + 1)..];
        if (slash == 0 || name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            return false;
        }

        key = new ObjectKey(text[..slash], name);
        return true;
    }

    public override string ToString() => IsClusterScoped ? Name : $"{Namespace}/{Name}";
}
