namespace ConsoleProxy.Hosting;

/// <summary>
/// Runs socket completions on the thread that noticed them (the epoll thread) instead of queueing
/// each to the thread pool. A relay does little per completion (copy, send, await the next read),
/// so a hop to another thread costs more than the work, and on a busy node every hop is a wait
/// for a CPU: inline completions cut the 64-byte round trip and raise throughput. Safe here
/// because nothing on the request path blocks a thread.
/// The runtime reads the switch from the environment once, when the first socket is created, so
/// the executable sets it first thing; an explicit value (0 to opt out) is left alone.
/// </summary>
public static class InlineSocketCompletions
{
    public const string EnvironmentVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether this process runs with inline completions (Kestrel's matching setting follows it).</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    public static void EnableUnlessConfigured()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is null)
        {
            Environment.SetEnvironmentVariable(EnvironmentVariable, "1");
        }
    }
}
