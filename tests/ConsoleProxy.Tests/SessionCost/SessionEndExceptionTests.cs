using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ConsoleProxy.Tests.Support;
using Microsoft.AspNetCore.Connections;
using Xunit.Abstractions;

namespace ConsoleProxy.Tests.SessionCost;

/// <summary>
/// A session's normal end (the browser closes or drops the connection, the VNC server hangs up) is an outcome, not
/// an error: it must not cost exceptions. Each one costs tens of microseconds with its stack trace, several a session
/// were a large share of the relay's CPU per new session. Counted process-wide with the runtime's first-chance
/// notification over real sessions through the in-process proxy (real redis-server, a real loopback target), with
/// a client and a target that throw nothing themselves. A client's reset costs one exception that is Kestrel's, not
/// the proxy's (its input pipe throws the reset at the read the relay waits in); it is the only one allowed.
/// </summary>
[Collection(SessionEndCollection.Name)]
public sealed class SessionEndExceptionTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private const int Sessions = 200;

    [Theory]
    [InlineData(SessionEnding.ClientAborts, "aborted")]
    [InlineData(SessionEnding.ClientCloses, "close 1000")]
    [InlineData(SessionEnding.TargetHangsUp, "close 1000")]
    public async Task A_normal_session_end_throws_no_exception_of_the_proxys(SessionEnding ending, string clientSees)
    {
        await using var target = GreetingTarget.Start(hangsUp: ending == SessionEnding.TargetHangsUp);
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var tokens = new List<string>();
        for (var i = 0; i < Sessions + 1; i++)
        {
            tokens.Add(await proxy.MintAsync(target.Target));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // One session first, uncounted: what is thrown once per process (the first use of a code path) is not per session.
        Assert.Equal(clientSees, await CountingClient.RunSessionAsync(proxy.Port, tokens[^1], ending, timeout.Token));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0 && proxy.App.Sessions.Reserved == 0, "the first session has ended");

        var thrown = new ConcurrentQueue<string>();
        void Count(object? sender, FirstChanceExceptionEventArgs e) =>
            thrown.Enqueue($"{e.Exception.GetType().Name}: {e.Exception.Message} at {e.Exception.TargetSite?.DeclaringType?.Name}.{e.Exception.TargetSite?.Name}{Environment.NewLine}{e.Exception.StackTrace}");
        AppDomain.CurrentDomain.FirstChanceException += Count;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        try
        {
            for (var i = 0; i < Sessions; i++)
            {
                Assert.Equal(clientSees, await CountingClient.RunSessionAsync(proxy.Port, tokens[i], ending, timeout.Token));
            }

            await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0 && proxy.App.Sessions.Reserved == 0, "every counted session has ended");
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        // Reported, not asserted (what a session costs is measured by the benchmark): the process's allocations per
        // session, the test's client and target included, to see what a change to the session's path saves.
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"{allocated / Sessions:N0} bytes allocated a session (process-wide, client and target included)");
        foreach (var group in thrown.GroupBy(each => each).OrderByDescending(group => group.Count()))
        {
            output.WriteLine($"{group.Count(),4} x {group.Key}");
        }

        // The one exception a reset costs that is not the proxy's to avoid: Kestrel completes the connection's input
        // pipe with it, and the pipe throws it at the read the relay is parked in. It must go no further (one a session).
        var transportResets = thrown.Count(each => each.StartsWith($"{nameof(ConnectionResetException)}:", StringComparison.Ordinal));
        var allowedResets = ending == SessionEnding.ClientAborts ? Sessions : 0;
        Assert.True(
            transportResets <= allowedResets && thrown.Count == transportResets,
            $"{thrown.Count} exceptions thrown over {Sessions} sessions ending {ending} ({(double)thrown.Count / Sessions:0.#} a session, " +
            $"{transportResets} of them the transport's reset, {allowedResets} allowed); see the test output for which");
    }
}
