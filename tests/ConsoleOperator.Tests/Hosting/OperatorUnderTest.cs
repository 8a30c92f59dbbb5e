using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Tests.Hosting;

/// <summary>
/// The half every controller fixture shares (<c>ProxyControllerHarness</c>, <c>TokenCluster</c>): the operator
/// composed as `console-operator run` composes it (<see cref="OperatorRuntime"/>) with only the controllers a test
/// names, and the loops it runs in the background (informers, the event recorder, workers, a whole manager) until
/// disposed. The fixtures add what their controller's tests look at.
/// </summary>
public sealed class OperatorUnderTest : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _background = [];

    private OperatorUnderTest(OperatorRuntime runtime) => Runtime = runtime;

    public OperatorRuntime Runtime { get; }

    public IServiceProvider Services => Runtime.Services;

    public EventRecorder Events => Runtime.Events;

    public static OperatorUnderTest Create(KubernetesClient client, OperatorSettings settings, MetricsRegistry metrics, TimeProvider time, Action<OperatorBuilder> controllers) =>
        new(OperatorRuntime.Create(client, settings, metrics, time, NullLoggerFactory.Instance, controllers));

    /// <summary>Runs <paramref name="loop"/> until disposed; being cancelled then is how it ends, not a failure.</summary>
    public void Run(Func<CancellationToken, Task> loop) =>
        _background.Add(Task.Run(async () =>
        {
            try
            {
                await loop(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
        }));

    /// <summary>Runs the event recorder and <paramref name="informers"/>, and waits until each informer has synced.</summary>
    public async Task StartInformersAsync(IEnumerable<IInformer> informers)
    {
        var started = informers.ToList();
        Run(Events.RunAsync);
        foreach (var informer in started)
        {
            Run(informer.RunAsync);
        }

        foreach (var informer in started)
        {
            Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None), $"informer {informer.Name} synced");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_background);
        await Runtime.DisposeAsync();
        _stopping.Dispose();
    }
}
