using System.Text.Json;
using TestKit.Processes;

namespace TestKit.Kubernetes;

/// <summary>
/// kubectl as a user runs it against a kubeconfig (from the checkout's root): the suites install and inspect through
/// the same commands the README shows. Every call is bounded (<see cref="Command"/>); a failure carries kubectl's own
/// message.
/// </summary>
/// <param name="path">The kubectl binary.</param>
/// <param name="kubeconfig">The kubeconfig every call uses (<c>--kubeconfig</c>).</param>
/// <param name="callTimeout">How long one call may take (longer when its own <c>--timeout</c> asks); 2 minutes when not given.</param>
public sealed class Kubectl(string path, string kubeconfig, TimeSpan? callTimeout = null)
{
    private readonly TimeSpan _callTimeout = callTimeout ?? TimeSpan.FromMinutes(2);

    /// <summary>The kubectl of <see cref="KubeAssets"/> (KUBEBUILDER_ASSETS).</summary>
    public Kubectl(KubeAssets assets, string kubeconfig)
        : this(assets.Kubectl, kubeconfig)
    {
    }

    /// <summary>The kubectl on PATH (a real cluster's, or the cluster kit's): fails loudly when there is none.</summary>
    public static Kubectl OnPath(string kubeconfig, TimeSpan callTimeout) =>
        new(RequiredTool.Find("kubectl", "kubectl (in KUBEBUILDER_ASSETS or the cluster kit)"), kubeconfig, callTimeout);

    /// <summary>What the call left, whatever its exit code.</summary>
    public Task<CommandResult> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        RunAsync(arguments, null, cancellationToken);

    /// <inheritdoc cref="RunAsync(CancellationToken, string[])"/>
    /// <param name="arguments">kubectl's arguments (without the kubeconfig).</param>
    /// <param name="input">What to write to kubectl's stdin (a manifest for <c>-f -</c>), or null.</param>
    /// <param name="cancellationToken">Stops the call (the process is killed).</param>
    public Task<CommandResult> RunAsync(IEnumerable<string> arguments, string? input = null, CancellationToken cancellationToken = default)
    {
        string[] all = ["--kubeconfig", kubeconfig, .. arguments];
        return Command.RunAsync(path, all, BoundFor(all), standardInput: input, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The call's bound: at least kubectl's own <c>--timeout</c> plus a margin, so a <c>kubectl wait --timeout=180s</c>
    /// ends by kubectl's answer (its message names what it waited for), not by being killed at the default bound.
    /// </summary>
    private TimeSpan BoundFor(IEnumerable<string> arguments)
    {
        var asked = arguments
            .Where(a => a.StartsWith("--timeout=", StringComparison.Ordinal))
            .Select(a => ParseDuration(a["--timeout=".Length..]))
            .DefaultIfEmpty(TimeSpan.Zero)
            .Max();
        var withMargin = asked + TimeSpan.FromSeconds(30);
        return withMargin > _callTimeout ? withMargin : _callTimeout;
    }

    /// <summary>kubectl's simple durations (<c>90s</c>, <c>3m</c>, <c>1h</c>); anything else counts as none.</summary>
    private static TimeSpan ParseDuration(string text)
    {
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return TimeSpan.Zero;
        }

        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => TimeSpan.Zero,
        };
    }

    /// <summary>What kubectl printed on stdout; throws with its stderr when it exits non-zero.</summary>
    public async Task<string> OutputAsync(IEnumerable<string> arguments, string? input = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(arguments, input, cancellationToken);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}");
    }

    /// <inheritdoc cref="OutputAsync(IEnumerable{string}, string?, CancellationToken)"/>
    public Task<string> OutputAsync(params string[] arguments) => OutputAsync(arguments, null, CancellationToken.None);

    /// <summary><c>kubectl apply -f -</c> of a manifest (in <paramref name="ns"/> when given).</summary>
    public Task<string> ApplyAsync(string manifest, string? ns = null, CancellationToken cancellationToken = default) =>
        OutputAsync(ns is null ? ["apply", "-f", "-"] : ["apply", "-n", ns, "-f", "-"], manifest, cancellationToken);

    /// <summary>The objects <c>kubectl ARGUMENTS -o json</c> prints; throws when the call fails.</summary>
    public async Task<JsonElement> GetJsonAsync(params string[] arguments)
    {
        var json = await OutputAsync([.. arguments, "-o", "json"]);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>The object, or null when it does not exist (any other failure throws).</summary>
    public async Task<JsonElement?> FindJsonAsync(params string[] arguments)
    {
        var result = await RunAsync([.. arguments, "-o", "json"]);
        if (result.ExitCode != 0)
        {
            return result.Error.Contains("NotFound", StringComparison.Ordinal)
                ? null
                : throw new InvalidOperationException($"kubectl get {string.Join(' ', arguments)}: {result.Error}");
        }

        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }
}
