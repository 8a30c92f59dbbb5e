namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>A background loop given as a method (e.g. the event recorder's RunAsync).</summary>
internal sealed class DelegateOperatorService(string name, Func<CancellationToken, Task> run) : IOperatorService
{
    public string Name { get; } = name;

    public Task RunAsync(CancellationToken cancellationToken) => run(cancellationToken);
}
