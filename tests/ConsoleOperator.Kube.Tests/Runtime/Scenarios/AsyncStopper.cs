namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>Cancels a background run when disposed and waits (bounded) for it to end, failing on a hang.</summary>
public sealed class AsyncStopper : IAsyncDisposable
{
    private readonly CancellationTokenSource _source = new();
    private bool _disposed;

    public CancellationToken Token => _source.Token;

    public Task? Task { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _source.CancelAsync();
        if (Task is not null)
        {
            await Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _source.Dispose();
    }
}
