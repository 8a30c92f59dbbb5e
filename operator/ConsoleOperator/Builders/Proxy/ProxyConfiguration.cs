using System.Globalization;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Kinds;
using ConsoleOperator.Builders.TargetSecurity;
using ConsoleOperator.Builders.TokenStore;
using ConsoleProxy.Tokens.Kinds;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>
/// The proxy's configuration for a ConsoleProxy, as `CONSOLEPROXY_*` variables (the ConfigMap's data). The
/// Redis password is not here: it stays in its Secret and reaches the pod through a secretKeyRef.
/// Options left at the proxy's own default are not written, so the proxy's defaults stay in one place.
/// </summary>
public static class ProxyConfiguration
{
    /// <summary>The variables, sorted by name so the ConfigMap and its hash are stable.</summary>
    public static IReadOnlyDictionary<string, string> For(ConsoleProxyResource proxy)
    {
        var spec = proxy.Spec;
        var store = TokenStoreEndpoint.For(proxy);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ProxyEnvironment.Port] = Integer(ProxyPod.ContainerPort),
            [ProxyEnvironment.RedisTls] = Flag(store.UsesTls),
            [ProxyEnvironment.KeyPrefix] = store.KeyPrefix,
            [ProxyEnvironment.AllowedTarget] = string.Join(ProxyEnvironment.ListSeparator, spec.Tokens.AllowedTargets),
            [ProxyEnvironment.DrainTimeout] = Seconds(ProxyPod.DrainTimeout),
            [ProxyEnvironment.Name] = $"{proxy.Metadata.NamespaceProperty}/{proxy.Metadata.Name}",
        };

        if (spec.Kinds is { Count: > 0 })
        {
            values[ProxyEnvironment.Kinds] = string.Join(ProxyEnvironment.ListSeparator, ProxyKinds.Of(spec).Select(ConsoleKindNames.NameOf));
        }

        foreach (var kind in ProxyKinds.WithOwnTargets)
        {
            if (ProxyKinds.AllowedTargets(spec, kind) is { Count: > 0 } kindTargets)
            {
                values[kind == ConsoleKind.Serial ? ProxyEnvironment.SerialAllowedTarget : ProxyEnvironment.SpiceAllowedTarget] =
                    string.Join(ProxyEnvironment.ListSeparator, kindTargets);
            }
        }

        if (spec.TargetSecurity is { } security)
        {
            if (security.AuthSchemes is { Count: > 0 } schemes)
            {
                values[ProxyEnvironment.TargetAuthSchemes] = string.Join(ProxyEnvironment.ListSeparator, schemes);
            }

            if (security.Tls)
            {
                values[ProxyEnvironment.TargetTls] = Flag(true);
            }

            if (security.TlsSecretName is not null)
            {
                values[ProxyEnvironment.TargetCert] = ProxyPod.TargetTlsMountPath + "/" + TokenStoreEndpoint.CertificateKey;
                values[ProxyEnvironment.TargetKey] = ProxyPod.TargetTlsMountPath + "/" + TokenStoreEndpoint.PrivateKeyKey;
                values[ProxyEnvironment.TargetCa] = ProxyPod.TargetTlsMountPath + "/ca.crt";
            }

            values[ProxyEnvironment.VncPasswordKey] = ProxyPod.VncPasswordKeyMountPath + "/" + VncPasswordKeys.SecretKey;
        }

        if (store.CaSecret is not null)
        {
            values[ProxyEnvironment.RedisCa] = ProxyPod.RedisCaFile;
        }

        if (store.ClientCertificateSecret is not null)
        {
            values[ProxyEnvironment.RedisClientCert] = ProxyPod.RedisClientCertificateFile;
            values[ProxyEnvironment.RedisClientKey] = ProxyPod.RedisClientKeyFile;
        }

        if (store.Sentinel is { } sentinel)
        {
            values[ProxyEnvironment.RedisSentinel] = string.Join(ProxyEnvironment.ListSeparator, sentinel.Addresses);
            values[ProxyEnvironment.RedisMasterName] = sentinel.MasterName;
        }
        else
        {
            values[ProxyEnvironment.Redis] = store.Address;
        }

        if (spec.Tokens.AllowWideTargetNetworks)
        {
            values[ProxyEnvironment.AllowWideTargetNetworks] = Flag(true);
        }

        if (spec.AllowedOrigins is { Count: > 0 } origins)
        {
            values[ProxyEnvironment.AllowedOrigin] = string.Join(ProxyEnvironment.ListSeparator, origins);
        }

        if (spec.StrictOrigin)
        {
            values[ProxyEnvironment.StrictOrigin] = Flag(true);
        }

        if (spec.FrameAncestors is { Count: > 0 } ancestors)
        {
            values[ProxyEnvironment.FrameAncestor] = string.Join(ProxyEnvironment.ListSeparator, ancestors);
        }

        if (spec.Tls is not null)
        {
            values[ProxyEnvironment.Cert] = ProxyPod.TlsCertificateFile;
            values[ProxyEnvironment.Key] = ProxyPod.TlsKeyFile;
            values[ProxyEnvironment.SslOnly] = Flag(true);
        }

        if (spec.Sessions is { } sessions)
        {
            if (sessions.IdleTimeoutSeconds is > 0 and var idle)
            {
                values[ProxyEnvironment.IdleTimeout] = Integer(idle);
            }

            if (sessions.MaxDurationSeconds is > 0 and var duration)
            {
                values[ProxyEnvironment.MaxDuration] = Integer(duration);
            }

            if (sessions.EnforceExpiry)
            {
                values[ProxyEnvironment.EnforceExpiry] = Flag(true);
            }

            if (sessions.MaxSessionsPerPod is > 0 and var maxSessions)
            {
                values[ProxyEnvironment.MaxSessions] = Integer(maxSessions);
            }

            if (sessions.MaxSessionsPerTarget is > 0 and var perTarget)
            {
                values[ProxyEnvironment.MaxSessionsPerTarget] = Integer(perTarget);
            }

            if (sessions.OnSessionLimit is { } onLimit)
            {
                values[ProxyEnvironment.OnSessionLimit] = onLimit;
            }
        }

        return values;
    }

    /// <summary>Durations are whole seconds, as the proxy's duration options read them.</summary>
    private static string Seconds(TimeSpan duration) => Integer((long)duration.TotalSeconds);

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";
}
