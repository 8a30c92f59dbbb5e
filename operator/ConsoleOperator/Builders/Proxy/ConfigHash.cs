using System.Security.Cryptography;
using System.Text;
using ConsoleOperator.Api;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>
/// A digest of what the proxy reads only at start-up (its ConfigMap and which TLS Secret it mounts), put on the
/// pod template as an annotation: changing the configuration changes the template and so rolls the pods, while
/// a change that is not configuration (replicas, say) leaves the template, and the pods, alone.
/// </summary>
public static class ConfigHash
{
    public const string AnnotationName = ApiGroup.Name + "/config-hash";

    public static string Compute(IReadOnlyDictionary<string, string> configuration, string? tlsSecretName)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in configuration.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            // Length-prefixed, so no choice of keys and values can make two configurations hash alike.
            Append(text, key);
            Append(text, value);
        }

        Append(text, tlsSecretName ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void Append(StringBuilder text, string part) => text.Append(part.Length).Append(':').Append(part).Append('\n');
}
