using System.Text;
using ConsoleOperator.Api;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using k8s.Models;

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
    public static V1Secret? Build(ConsoleProxyResource proxy, RedisPassword password)
    {
        if (proxy.Spec.TokenStore.Managed is null)
        {
            return null;
        }

        var annotations = password.IsWithheld
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [WithheldAnnotation] = WithheldNote }
            : null;
        return new V1Secret
        {
            Metadata = OwnedObjectMetadata.Create(proxy, ConsoleProxyNames.For(proxy).RedisAuthSecret, Component.TokenStore, annotations),
            Type = "Opaque",
            Data = password.Value is { } value
                ? new Dictionary<string, byte[]>(StringComparer.Ordinal)
                {
                    [TokenStoreEndpoint.ManagedPasswordKey] = Encoding.UTF8.GetBytes(value),
                }
                : null,
        };
    }

    /// <summary>The password in an existing Secret, or null when it has none.</summary>
    public static string? ReadPassword(V1Secret? existing) =>
        existing?.Data is { } data && data.TryGetValue(TokenStoreEndpoint.ManagedPasswordKey, out var bytes) && bytes is { Length: > 0 }
            ? Encoding.UTF8.GetString(bytes)
            : null;
}
