using System.Reflection;

namespace ConsoleOperator.Kube.Client;

/// <summary>Tuning of a <see cref="KubernetesClient"/>; the defaults suit an operator.</summary>
public sealed record KubernetesClientOptions
{
    /// <summary>The deadline of one non-watch call (and of a watch's response headers).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sent as User-Agent; the server derives the default field manager from the part before '/'.</summary>
    public string UserAgent { get; init; } = DefaultUserAgent;

    /// <summary>Called with the text of every Warning header, in addition to logging it.</summary>
    public Action<string>? OnWarning { get; init; }

    public static string DefaultUserAgent { get; } = "console-operator/" + ProductVersion();

    private static string ProductVersion()
    {
        var assembly = typeof(KubernetesClientOptions).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // Drop the "+commit" build metadata: a User-Agent product version is a plain token.
        var version = informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return version.Length == 0 ? "0.0.0" : version;
    }
}
