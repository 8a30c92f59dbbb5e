using System.IO.Pipelines;
using System.Text;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Watch;
using ConsoleOperator.Kube.Tests.KubeClient.Support;

namespace ConsoleOperator.Kube.Tests.KubeClient.Watch;

/// <summary>The client-side idle timeout, driven by a fake clock: silence ends the watch, lines keep it alive.</summary>
public sealed class WatchIdleTimeoutTests
{
    private const string AddedLine = """{"type":"ADDED","object":{"apiVersion":"example.dev/v1","kind":"Widget","metadata":{"name":"w1","resourceVersion":"7"}}}""";

    [Fact]
    public async Task Silence_longer_than_the_idle_timeout_throws_watch_idle_timeout()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var pipe = new Pipe();
        await using var stream = pipe.Reader.AsStream();
        await using var enumerator = WatchBodyHandler.Watch(stream, TimeSpan.FromSeconds(90), clock, CancellationToken.None, out var client).GetAsyncEnumerator();
        using var owned = client;

        var next = enumerator.MoveNextAsync().AsTask();
        clock.Advance(TimeSpan.FromSeconds(89));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => next.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("no watch event or bookmark for 90 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_line_restarts_the_idle_timer()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var pipe = new Pipe();
        await using var stream = pipe.Reader.AsStream();
        await using var enumerator = WatchBodyHandler.Watch(stream, TimeSpan.FromSeconds(60), clock, CancellationToken.None, out var client).GetAsyncEnumerator();
        using var owned = client;

        for (var i = 0; i < 3; i++)
        {
            var next = enumerator.MoveNextAsync().AsTask();
            clock.Advance(TimeSpan.FromSeconds(50));
            await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(AddedLine + "\n"));
            Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal("7", enumerator.Current.ResourceVersion);
        }

        // 150 s of fake time passed in all, but never 60 s without a line.
        await pipe.Writer.CompleteAsync();
        Assert.False(await enumerator.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_an_idle_timeout()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var pipe = new Pipe();
        await using var stream = pipe.Reader.AsStream();
        using var cancellation = new CancellationTokenSource();
        await using var enumerator = WatchBodyHandler.Watch(stream, TimeSpan.FromSeconds(60), clock, cancellation.Token, out var client).GetAsyncEnumerator();
        using var owned = client;

        var next = enumerator.MoveNextAsync().AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
