using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Kinds;
using ConsoleOperator.Builders.TargetSecurity;
using ConsoleOperator.Builders.TokenStore;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>
/// The proxy's settings for a ConsoleProxy (the operator-to-proxy contract, <see cref="ProxySettingsContract"/>),
/// written as the ConfigMap's `CONSOLEPROXY_*` variables. The Redis password and ACL user are not here: they stay
/// in their Secret and reach the pod through secretKeyRefs. Allowed targets and origins are parsed by the contract's
/// parser (<see cref="PolicyList{T}"/>) on a spec that passed validation, and written as the spec gives them. Settings left at the proxy's default are not given,
/// so the defaults stay in the contract.
/// </summary>
public static class ProxyConfiguration
{
    /// <summary>The settings the proxy pods of <paramref name="proxy"/> run with, typed; <paramref name="store"/> is its token store.</summary>
    public static ProxySettings Settings(ConsoleProxyResource proxy, TokenStoreEndpoint store)
    {
        var spec = proxy.Spec;
        var settings = ProxySettings.Empty
            .With(ProxySettingsContract.Port, ProxyPod.ContainerPort)
            .With(ProxySettingsContract.RedisTls, store.UsesTls)
            .With(ProxySettingsContract.KeyPrefix, store.KeyPrefix)
            .With(ProxySettingsContract.AllowedTarget, ProxyKinds.ParsedTargets(spec, ConsoleKind.Vnc))
            .With(ProxySettingsContract.DrainTimeout, ProxyPod.DrainTimeout)
            .With(ProxySettingsContract.Name, $"{proxy.Metadata.NamespaceProperty}/{proxy.Metadata.Name}");

        if (spec.Kinds is { Count: > 0 })
        {
            settings = settings.With(ProxySettingsContract.Kinds, [.. ProxyKinds.Of(spec).Select(ConsoleKindNames.NameOf)]);
        }

        foreach (var kind in ProxyKinds.WithOwnTargets)
        {
            if (ProxyKinds.ParsedTargets(spec, kind) is { Count: > 0 } kindTargets)
            {
                settings = settings.With(kind == ConsoleKind.Serial ? ProxySettingsContract.SerialAllowedTarget : ProxySettingsContract.SpiceAllowedTarget, kindTargets);
            }
        }

        if (spec.TargetSecurity is { } security)
        {
            if (security.AuthSchemes is { Count: > 0 } schemes)
            {
                settings = settings.With(ProxySettingsContract.TargetAuthSchemes, schemes);
            }

            if (security.Tls)
            {
                settings = settings.With(ProxySettingsContract.TargetTls, true);
            }

            if (security.TlsSecretName is not null)
            {
                settings = settings
                    .With(ProxySettingsContract.TargetCert, ProxyPod.TargetTlsMountPath + "/" + TokenStoreEndpoint.CertificateKey)
                    .With(ProxySettingsContract.TargetKey, ProxyPod.TargetTlsMountPath + "/" + TokenStoreEndpoint.PrivateKeyKey)
                    .With(ProxySettingsContract.TargetCa, ProxyPod.TargetTlsMountPath + "/ca.crt");
            }

            settings = settings.With(ProxySettingsContract.VncPasswordKey, ProxyPod.VncPasswordKeyMountPath + "/" + VncPasswordKeys.SecretKey);
        }

        if (store.CaSecret is not null)
        {
            settings = settings.With(ProxySettingsContract.RedisCa, ProxyPod.RedisCaFile);
        }

        if (store.ClientCertificateSecret is not null)
        {
            settings = settings
                .With(ProxySettingsContract.RedisClientCert, ProxyPod.RedisClientCertificateFile)
                .With(ProxySettingsContract.RedisClientKey, ProxyPod.RedisClientKeyFile);
        }

        settings = store.Sentinel is { } sentinel
            ? settings
                .With(ProxySettingsContract.RedisSentinel, string.Join(ProxySetting.ListSeparator, sentinel.Addresses))
                .With(ProxySettingsContract.RedisMasterName, sentinel.MasterName)
            : settings.With(ProxySettingsContract.Redis, store.Address);

        if (spec.Tokens.AllowWideTargetNetworks)
        {
            settings = settings.With(ProxySettingsContract.AllowWideTargetNetworks, true);
        }

        if (spec.AllowedOrigins is { Count: > 0 } origins)
        {
            settings = settings.With(ProxySettingsContract.AllowedOrigin, PolicyList.Parse<AllowedOrigin>(origins));
        }

        if (spec.StrictOrigin)
        {
            settings = settings.With(ProxySettingsContract.StrictOrigin, true);
        }

        if (spec.FrameAncestors is { Count: > 0 } ancestors)
        {
            settings = settings.With(ProxySettingsContract.FrameAncestor, ancestors);
        }

        if (spec.Tls is not null)
        {
            settings = settings
                .With(ProxySettingsContract.Cert, ProxyPod.TlsCertificateFile)
                .With(ProxySettingsContract.Key, ProxyPod.TlsKeyFile)
                .With(ProxySettingsContract.SslOnly, true);
        }

        if (spec.Sessions is { } sessions)
        {
            if (sessions.IdleTimeoutSeconds is > 0 and var idle)
            {
                settings = settings.With(ProxySettingsContract.IdleTimeout, TimeSpan.FromSeconds(idle));
            }

            if (sessions.MaxDurationSeconds is > 0 and var duration)
            {
                settings = settings.With(ProxySettingsContract.MaxDuration, TimeSpan.FromSeconds(duration));
            }

            if (sessions.EnforceExpiry)
            {
                settings = settings.With(ProxySettingsContract.EnforceExpiry, true);
            }

            if (sessions.MaxSessionsPerPod is > 0 and var maxSessions)
            {
                settings = settings.With(ProxySettingsContract.MaxSessions, maxSessions);
            }

            if (sessions.MaxSessionsPerTarget is > 0 and var perTarget)
            {
                settings = settings.With(ProxySettingsContract.MaxSessionsPerTarget, perTarget);
            }

            if (sessions.OnSessionLimit is { } onLimit)
            {
                settings = settings.With(ProxySettingsContract.OnSessionLimit, onLimit);
            }
        }

        return settings;
    }
}
