namespace ConsoleOperator.OnRealApiServer.Tests.Cluster;

/// <summary>Bounded polling of the API server for what a controller does asynchronously; fails with the last thing seen.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> done, string because, TimeSpan timeout, Func<string> context, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        T last;
        while (true)
        {
            last = await read(cancellationToken);
            if (done(last))
            {
                return last;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"Timed out after {timeout} waiting until {because}; last seen: {last}\n{context()}");
            }
        }
    }
}
