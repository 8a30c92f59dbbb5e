namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// How this process (the load generator) runs its socket completions. By default .NET on Linux hands every
/// completed async socket operation from its epoll thread to the thread pool: a queue, a wake-up and a context
/// switch per received message, which with thousands of live consoles cost the generator more than the
/// messages themselves. Every continuation the generator runs on a socket is short and never blocks (parse what
/// arrived, start the next receive, send what is owed without blocking), which is what running them inline on the
/// epoll thread asks for. The relays under test are other processes and must run as shipped, so the setting is
/// kept out of what they inherit (<see cref="ForChildProcess"/>).
/// </summary>
public static class LoadGeneratorSockets
{
    /// <summary>The runtime's switch (System.Net.Sockets, SocketAsyncEngine.Unix), read once, at the first async socket operation.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on for this process; call before any socket is used asynchronously.</summary>
    public static void RunCompletionsInline() => Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");

    /// <summary>Removes the switch from a child's environment: a relay measured with it would not be the one shipped.</summary>
    public static void ForChildProcess(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment.Remove(InlineCompletionsVariable);
    }
}
