using System.Text;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.TokenStore;
using k8s.Models;

namespace ConsoleOperator.Builders.TargetSecurity;

/// <summary>
/// The Secret with the keys that seal VNC passwords in token records: the operator seals with the first, the proxy pods
/// (where it is mounted) open with any, so a key added in front rotates sealing while older records stay readable.
/// </summary>
public static class VncPasswordKeySecretBuilder
{
    /// <summary>The Secret, or null when the ConsoleProxy has no spec.targetSecurity (no password is ever sealed).</summary>
    public static V1Secret? Build(ConsoleProxyResource proxy, VncPasswordKeys keys)
    {
        if (proxy.Spec.TargetSecurity is null)
        {
            return null;
        }

        var annotations = keys.IsWithheld
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [RedisPasswordSecretBuilder.WithheldAnnotation] = "render prints no secret: in the cluster the operator generates this keyring once (a 256-bit key) and keeps it" }
            : null;
        return new V1Secret
        {
            Metadata = OwnedObjectMetadata.Create(proxy, ConsoleProxyNames.For(proxy).VncPasswordKeySecret, Component.Proxy, annotations),
            Type = "Opaque",
            Data = keys.Keyring is { } keyring
                ? new Dictionary<string, byte[]>(StringComparer.Ordinal) { [VncPasswordKeys.SecretKey] = Encoding.UTF8.GetBytes(keyring) }
                : null,
        };
    }

    /// <summary>The keyring in an existing Secret, or null when it has none.</summary>
    public static string? ReadKeyring(V1Secret? existing) =>
        existing?.Data is { } data && data.TryGetValue(VncPasswordKeys.SecretKey, out var bytes) && bytes is { Length: > 0 }
            ? Encoding.UTF8.GetString(bytes)
            : null;
}
