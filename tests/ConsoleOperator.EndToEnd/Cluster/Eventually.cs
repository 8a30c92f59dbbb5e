namespace ConsoleOperator.EndToEnd.Cluster;

/// <summary>
/// Bounded waits for the cluster to converge. Each probe is a kubectl call or a browser check, so the interval is
/// half a second (the shared Poll's 10 ms would only load the machine); a wait that runs out fails with what it was
/// waiting for and the last thing it saw.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, TimeSpan timeout)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (InvalidOperationException e)
            {
                last = e;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting until {what}." + (last is null ? "" : $" Last error: {last.Message}"));
            }

            await Task.Delay(Interval);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan timeout) =>
        GetAsync<object>(async () => await probe() ? what : null, what, timeout);
}
