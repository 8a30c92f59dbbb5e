using System.Text;
using ConsoleOperator.Api;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Kube.Client.Models.Core;

namespace ConsoleOperator.Builders.TokenStore;

/// <summary>
/// The Secret with the managed Redis's password, read by the Redis pod, the proxy pods and the operator. The
/// password is written as <c>data</c> (base64) so the applied object equals what the server stores and a repeated
/// apply is a no-op.
/// </summary>
public static class RedisPasswordSecretBuilder
{
    /// <summary>Marks a rendered Secret whose password was left out on purpose.</summary>
    public const string WithheldAnnotation = ApiGroup.Name + "/rendered-without-data";

    public const string WithheldNote =
        "render prints no secret: in the cluster the operator generates this password once (256 random bits) and keeps it";

    /// <summary>The Secret, or null when the ConsoleProxy uses an external token store (whose Secret is the user's).</summary>
    public static Secret? Build(ConsoleProxyResource proxy, RedisPassword password)
    {
        if (proxy.Spec.TokenStore.Managed is null)
        {
            return null;
        }

        var annotations = password.IsWithheld
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [WithheldAnnotation] = WithheldNote }
            : null;
        return new Secret
        {
            Metadata = OwnedObjectMetadata.Create(proxy, ConsoleProxyNames.For(proxy).RedisAuthSecret, Component.TokenStore, annotations),
            Type = "Opaque",
            Data = password.Value is { } value
                ? new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [TokenStoreEndpoint.ManagedPasswordKey] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)),
                }
                : null,
        };
    }

    /// <summary>The password in an existing Secret (as read from the API: base64 data), or null when it has none.</summary>
    public static string? ReadPassword(Secret? existing)
    {
        if (existing?.Data is not { } data || !data.TryGetValue(TokenStoreEndpoint.ManagedPasswordKey, out var encoded) || string.IsNullOrEmpty(encoded))
        {
            return null;
        }

        Span<byte> buffer = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, buffer, out var written) ? Encoding.UTF8.GetString(buffer[..written]) : null;
    }
}
