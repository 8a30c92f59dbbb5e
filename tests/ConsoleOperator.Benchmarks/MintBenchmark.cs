using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Crds;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using TestKit.FakeApiServer;
using TestKit.Processes;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Benchmarks;

/// <summary>
/// Mints N ConsoleTokens through the real controller (registered on a controller manager, as the operator runs it)
/// against the in-process fake API server and a real redis-server, and measures from the first create until every
/// token is Active: tokens per second, create-to-Active latency, and the process's memory.
/// </summary>
public static class MintBenchmark
{
    private const string Namespace = "consoles";
    private const string ProxyName = "edge";

    public static async Task<MintReport> RunAsync(MintBenchmarkOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        await using var server = await FakeKubeApiServer.StartAsync(new FakeApiServerOptions { Namespaces = ["default", Namespace] }, cancellationToken);
        foreach (var crd in CrdCatalog.Build())
        {
            server.Registry.RegisterCustomResourceDefinition(crd);
        }

        await using var redis = await RedisServer.StartAsync();
        using var client = new KubernetesClient(
            new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() },
            new KubernetesClientOptions { UserAgent = "console-operator-benchmark/1.0", RequestTimeout = TimeSpan.FromSeconds(30) });
        var proxies = ConsoleProxyController.ProxyClient(client).InNamespace(Namespace);
        await proxies.CreateAsync(new ConsoleProxyResource
        {
            Metadata = new V1ObjectMeta { Name = ProxyName, NamespaceProperty = Namespace },
            Spec = new ConsoleProxySpec
            {
                PublicUrl = "https://console.example.com",
                TokenStore = new TokenStoreSpec { External = new ExternalTokenStoreSpec { Address = redis.Address } },
                Tokens = new TokenPolicySpec { AllowedTargets = ["10.0.0.0/8:5900-5999"], MaxTTLSeconds = 3600 },
            },
        }, cancellationToken: cancellationToken);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        // The operator's own composition (OperatorRuntime) with only the token controller: what `run` runs, minus the
        // ConsoleProxy controller, which would roll Deployments nobody runs here.
        var tokenOptions = new ConsoleTokenControllerOptions { Workers = options.Workers };
        await using var runtime = OperatorRuntime.Create(
            client,
            new OperatorSettings { Identity = "console-operator-benchmark" },
            new MetricsRegistry(),
            TimeProvider.System,
            NullLoggerFactory.Instance,
            controllers => controllers.AddConsoleTokenController(tokenOptions));
        var manager = runtime.Manager;
        var tokenInformer = runtime.Services.GetRequiredService<InformerRegistry>().Get<ConsoleTokenResource>(name: ConsoleTokenControllerRegistration.TokensInformerName);

        var created = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<TimeSpan>();
        var allActive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tokenInformer.AddEventHandler(new ResourceEventHandler<ConsoleTokenResource>
        {
            Updated = (before, after) =>
            {
                if (before.Status?.Phase != ConsoleTokenPhase.Active && after.Status?.Phase == ConsoleTokenPhase.Active
                    && created.TryGetValue(after.Metadata.Name!, out var start))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start));
                    if (latencies.Count == options.Count)
                    {
                        allActive.TrySetResult();
                    }
                }
            },
        });

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = manager.RunAsync(stopping.Token);
        if (!await tokenInformer.WaitForSyncAsync(TimeSpan.FromSeconds(30), cancellationToken))
        {
            throw new TimeoutException("the ConsoleToken informer did not sync");
        }

        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"minting {options.Count} ConsoleTokens with {options.Workers} workers..."));
        var tokens = ConsoleTokenControllerRegistration.TokenClient(client).InNamespace(Namespace);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"vm-{i:D5}");
                created[name] = Stopwatch.GetTimestamp();
                await tokens.CreateAsync(new ConsoleTokenResource
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
                    Spec = new ConsoleTokenSpec
                    {
                        ProxyRef = new ProxyReference { Name = ProxyName },
                        Target = new TargetSpec { Host = string.Create(CultureInfo.InvariantCulture, $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}"), Port = 5900 + (i % 100) },
                        Instance = Guid.NewGuid().ToString(),
                        TtlSeconds = 900,
                    },
                }, cancellationToken: token);
            });
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"created {options.Count} in {clock.Elapsed.TotalSeconds:F1} s; waiting for Active..."));
        await allActive.Task.WaitAsync(cancellationToken);
        var elapsed = clock.Elapsed;

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSet = process.WorkingSet64;
        var peak = process.PeakWorkingSet64;
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var keys = await redis.CommandAsync("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", new ConsoleProxyNames(ProxyName, Namespace).KeyPrefix + "token:*");

        await stopping.CancelAsync();
        await running;

        var sorted = latencies.Order().ToArray();
        return new MintReport(
            options.Count,
            options.Workers,
            sorted.Length,
            // The operator's own sentinel key is one of them.
            long.Parse(keys ?? "0", CultureInfo.InvariantCulture) - 1,
            elapsed,
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.99),
            workingSet,
            peak,
            heap,
            heapBefore);
    }

    private static TimeSpan Percentile(TimeSpan[] sorted, double quantile) =>
        sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
