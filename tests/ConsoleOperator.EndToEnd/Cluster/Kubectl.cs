using System.Diagnostics;
using System.Text.Json;
using TestKit.Processes;

namespace ConsoleOperator.EndToEnd.Cluster;

/// <summary>
/// kubectl, as a user drives the cluster: the suite installs and inspects through the same commands the README
/// shows. Every call is bounded; a failure carries kubectl's own message.
/// </summary>
public sealed class Kubectl(string kubeconfig)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private readonly string _path = RequiredTool.Find("kubectl", "kubectl (in KUBEBUILDER_ASSETS or the cluster kit)");

    public async Task<string> RunAsync(IEnumerable<string> arguments, string? input = null, CancellationToken cancellationToken = default)
    {
        var result = await TryRunAsync(arguments, input, cancellationToken);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}");
    }

    public Task<string> RunAsync(params string[] arguments) => RunAsync(arguments, null, CancellationToken.None);

    public async Task<KubectlResult> TryRunAsync(IEnumerable<string> arguments, string? input = null, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(_path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["KUBECONFIG"] = kubeconfig;
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', info.ArgumentList)} took longer than {CallTimeout}");
        }

        return new KubectlResult(process.ExitCode, await output, await error);
    }

    public Task<string> ApplyAsync(string manifest, string? ns = null, CancellationToken cancellationToken = default) =>
        RunAsync(ns is null ? ["apply", "-f", "-"] : ["apply", "-n", ns, "-f", "-"], manifest, cancellationToken);

    public async Task<JsonElement> GetJsonAsync(params string[] arguments)
    {
        var json = await RunAsync([.. arguments, "-o", "json"]);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>The object, or null when it does not exist (any other failure throws).</summary>
    public async Task<JsonElement?> FindJsonAsync(params string[] arguments)
    {
        var result = await TryRunAsync([.. arguments, "-o", "json"]);
        if (result.ExitCode != 0)
        {
            return result.Error.Contains("NotFound", StringComparison.Ordinal)
                ? null
                : throw new InvalidOperationException($"kubectl get {string.Join(' ', arguments)}: {result.Error}");
        }

        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }
}
