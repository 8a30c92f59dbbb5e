namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>Bounded polling of conditions that need an await (e.g. a GET against the fake server).</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }
}
