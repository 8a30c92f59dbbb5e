using System.Diagnostics;

namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>Reads a watch response line by line in the background, remembering how it ended.</summary>
public sealed class WatchStreamReader : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly HttpResponseMessage _response;
    private readonly Task _pump;
    private readonly CancellationTokenSource _stop = new();
    private long _lastLineTicks = Stopwatch.GetTimestamp();

    public WatchStreamReader(HttpResponseMessage response)
    {
        _response = response;
        _pump = Task.Run(PumpAsync);
    }

    public int StatusCode => (int)_response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.ToString();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToList();
            }
        }
    }

    /// <summary>True once the server ended the body cleanly (the zero-length chunk).</summary>
    public bool EndedCleanly { get; private set; }

    /// <summary>Set when reading failed (connection reset, abort).</summary>
    public Exception? Failure { get; private set; }

    public bool Finished => _pump.IsCompleted;

    /// <summary>Waits (real time, bounded) until no new line arrived for <paramref name="quiet"/> or the stream ended.</summary>
    public async Task SettleAsync(TimeSpan quiet, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        while (!Finished && Stopwatch.GetElapsedTime(started) < limit)
        {
            if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastLineTicks)) >= quiet)
            {
                return;
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits (real time, bounded) until at least <paramref name="count"/> lines arrived.</summary>
    public async Task WaitForLinesAsync(int count, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        while (Lines.Count < count && !Finished && Stopwatch.GetElapsedTime(started) < limit)
        {
            await Task.Delay(10);
        }
    }

    public async Task WaitForEndAsync(TimeSpan limit) => await Task.WhenAny(_pump, Task.Delay(limit));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_pump, Task.Delay(TimeSpan.FromSeconds(5)));
        _response.Dispose();
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        try
        {
            await using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                lock (_gate)
                {
                    _lines.Add(line);
                }

                Interlocked.Exchange(ref _lastLineTicks, Stopwatch.GetTimestamp());
            }

            EndedCleanly = true;
        }
        catch (Exception error)
        {
            Failure = error;
        }
    }
}
