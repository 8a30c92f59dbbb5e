using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Builders.Naming;
using TestKit.Kubernetes;
using TestKit.Network;
using TestKit.Processes;
using TestKit.Repository;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Benchmarks.RealApiServer;

/// <summary>
/// Mints N ConsoleTokens the way a portal does, against a real kube-apiserver + etcd (from KUBEBUILDER_ASSETS) and a
/// real redis-server, with `console-operator run` as its own process: creates go through the API server, the operator
/// sees them through its watch, and a watch of ours sees each one turn Active. It measures tokens per second,
/// create-to-Active latency, and the operator process's memory (resident set, and its peak).
/// </summary>
public static class RealServerMintBenchmark
{
    private const string Group = "consoleoperator.dev";
    private const string Version = "v1alpha1";
    private const string Namespace = "consoles";
    private const string ProxyName = "edge";

    public static async Task<RealServerMintReport> RunAsync(MintBenchmarkOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        await using var server = await TestApiServer.StartAsync(TimeProvider.System, cancellationToken);
        await using var redis = await RedisServer.StartAsync();
        var kubectl = new Kubectl(server.Assets, server.AdminKubeconfigPath);
        var applied = await kubectl.RunAsync(cancellationToken, "apply", "-f", Checkout.File("crds"));
        if (applied.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl apply -f crds failed: {applied}");
        }

        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.AdminKubeconfigPath));
        await WaitUntilEstablishedAsync(client, cancellationToken);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Proxy(redis.Address), Group, Version, Namespace, "consoleproxies", cancellationToken: cancellationToken);

        await using var operatorProcess = ConsoleOperatorCli.StartRun(server.AdminKubeconfigPath, "console-operator-bench", Namespace, FreeTcpPort.Next(), []);
        var created = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<TimeSpan>();
        var allActive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchActiveAsync(client, options.Count, created, latencies, allActive, watching.Token);

        var peakResident = 0L;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleResidentAsync(operatorProcess.Id, peak => peakResident = Math.Max(peakResident, peak), sampling.Token);

        var started = Stopwatch.GetTimestamp();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            for (var index = Interlocked.Increment(ref next); index < options.Count; index = Interlocked.Increment(ref next))
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"vm-{index:D5}");
                created[name] = Stopwatch.GetTimestamp();
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(Token(name, 5900 + (index % 100)), Group, Version, Namespace, "consoletokens", cancellationToken: cancellationToken);
            }
        }));
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"created {options.Count} ConsoleTokens in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));

        await allActive.Task.WaitAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var resident = ResidentBytes(operatorProcess.Id);
        await sampling.CancelAsync();
        await watching.CancelAsync();
        await Task.WhenAll(sampler, watch).ContinueWith(static _ => { }, TaskScheduler.Default);

        var sorted = latencies.OrderBy(latency => latency).ToArray();
        var keys = long.Parse(
            await redis.CommandAsync("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", new ConsoleProxyNames(ProxyName, Namespace).KeyPrefix + "token:*") ?? "0",
            CultureInfo.InvariantCulture);
        await operatorProcess.TerminateAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        return new RealServerMintReport(options.Count, sorted.Length, keys, elapsed, Percentile(sorted, 0.50), Percentile(sorted, 0.99), resident, Math.Max(peakResident, resident));
    }

    private static async Task WatchActiveAsync(
        Kubernetes client,
        int count,
        ConcurrentDictionary<string, long> created,
        ConcurrentBag<TimeSpan> latencies,
        TaskCompletionSource allActive,
        CancellationToken cancellationToken)
    {
        var active = new HashSet<string>(StringComparer.Ordinal);
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var events = client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                Group, Version, Namespace, "consoletokens", allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: 300, cancellationToken: cancellationToken);
            await foreach (var (type, body) in events)
            {
                var seen = Stopwatch.GetTimestamp();
                var item = (JsonElement)body;
                resourceVersion = item.GetProperty("metadata").GetProperty("resourceVersion").GetString();
                if (type is not (WatchEventType.Added or WatchEventType.Modified)
                    || !item.TryGetProperty("status", out var status)
                    || !status.TryGetProperty("phase", out var phase)
                    || phase.GetString() != "Active")
                {
                    continue;
                }

                var name = item.GetProperty("metadata").GetProperty("name").GetString()!;
                if (active.Add(name) && created.TryGetValue(name, out var start))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start, seen));
                    if (active.Count == count)
                    {
                        allActive.TrySetResult();
                        return;
                    }
                }
            }
        }
    }

    private static async Task WaitUntilEstablishedAsync(Kubernetes client, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { "consoleproxies.consoleoperator.dev", "consoletokens.consoleoperator.dev" })
        {
            while (true)
            {
                var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken);
                if (crd.Status?.Conditions?.Any(condition => condition.Type == "Established" && condition.Status == "True") == true)
                {
                    break;
                }

                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>The operator's resident set from /proc every 200 ms, for its peak during the run.</summary>
    private static async Task SampleResidentAsync(int pid, Action<long> sample, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                sample(ResidentBytes(pid));
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private static long ResidentBytes(int pid)
    {
        // `dotnet console-operator.dll` is the operator process itself (the muxer executes the app in-process).
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(text => text.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static TimeSpan Percentile(TimeSpan[] sorted, double percentile) =>
        sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile * sorted.Length) - 1)];

    private static JsonObject Proxy(string redisAddress) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "ConsoleProxy",
        ["metadata"] = new JsonObject { ["name"] = ProxyName },
        ["spec"] = new JsonObject
        {
            ["publicURL"] = "https://console.example.com",
            ["tokenStore"] = new JsonObject { ["external"] = new JsonObject { ["address"] = redisAddress } },
            ["tokens"] = new JsonObject { ["allowedTargets"] = new JsonArray("10.0.0.0/8:5900-5999"), ["maxTTLSeconds"] = 3600 },
        },
    };

    private static JsonObject Token(string name, int port) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "ConsoleToken",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["proxyRef"] = new JsonObject { ["name"] = ProxyName },
            ["target"] = new JsonObject { ["host"] = "10.0.0.7", ["port"] = port },
            ["ttlSeconds"] = 1800,
        },
    };
}
