namespace ConsoleOperator.Builders.Metadata;

/// <summary>A part of a ConsoleProxy's fleet: what runs in its pods (app.kubernetes.io/name) and its role (component).</summary>
/// <param name="Application">The app.kubernetes.io/name label: the software the pods run.</param>
/// <param name="Role">The app.kubernetes.io/component label: what it does for the ConsoleProxy.</param>
public sealed record Component(string Application, string Role)
{
    /// <summary>The proxy pods and everything around them.</summary>
    public static Component Proxy { get; } = new("consoleproxy", "proxy");

    /// <summary>The managed Redis that holds the token hashes.</summary>
    public static Component TokenStore { get; } = new("redis", "token-store");
}
