namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>Bounded polling for work that finishes on other threads (informers, workers, the API server's log).</summary>
public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task UntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string because, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), because, timeout);
}
