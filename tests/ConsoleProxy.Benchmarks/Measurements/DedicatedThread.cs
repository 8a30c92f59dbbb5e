namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>Runs blocking measuring code on a thread of its own, so it never waits for (or holds up) the thread pool.</summary>
public static class DedicatedThread
{
    public static Task<T> RunAsync<T>(string name, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }
}
