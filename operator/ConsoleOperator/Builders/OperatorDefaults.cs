using System.Reflection;

namespace ConsoleOperator.Builders;

/// <summary>
/// What the operator fills in when a ConsoleProxy does not say: the images it runs. The operator's own
/// settings (flags or environment of `console-operator run`), not part of any ConsoleProxy.
/// </summary>
/// <param name="ProxyImage">The proxy image when spec.image is unset.</param>
/// <param name="RedisImage">The Redis image when spec.tokenStore.managed.image is unset.</param>
public sealed record OperatorDefaults(string ProxyImage, string RedisImage)
{
    /// <summary>Where the proxy image is published; the tag is this operator's version, so both ship together.</summary>
    public const string ProxyImageRepository = "ghcr.io/consoleoperator/consoleproxy";

    /// <summary>Redis 7.2 on Alpine: small, runs as uid 999 and needs no writable root filesystem.</summary>
    public const string DefaultRedisImage = "docker.io/library/redis:7.2.5-alpine";

    /// <summary>The images of this operator build: the proxy image of the same version and the pinned Redis.</summary>
    public static OperatorDefaults ForThisRelease { get; } = new($"{ProxyImageRepository}:{ReleaseVersion()}", DefaultRedisImage);

    /// <summary>The operator's version without build metadata (`1.2.3+abc` becomes `1.2.3`), which is the image tag.</summary>
    public static string ReleaseVersion()
    {
        var assembly = typeof(OperatorDefaults).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
