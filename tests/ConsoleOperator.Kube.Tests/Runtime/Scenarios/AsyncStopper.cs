namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>Cancels a background run when disposed and waits (bounded) for it to end, failing on a hang.</summary>
public sealed class AsyncStopper : IAsyncDisposable
{
    private readonly CancellationTokenSource source = new();
    private bool disposed;

    public CancellationToken Token => source.Token;

    public Task? Task { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await source.CancelAsync();
        if (Task is not null)
        {
            await Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        source.Dispose();
    }
}
