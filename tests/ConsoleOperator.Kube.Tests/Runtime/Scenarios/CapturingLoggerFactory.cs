using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>Keeps every log entry, so tests can assert what was (not) logged as an error.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public IReadOnlyList<CapturedLog> AtLeast(LogLevel level) => [.. _entries.Where(entry => entry.Level >= level)];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public ILogger<T> CreateLogger<T>() => new Logger<T>(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("This factory only captures.");

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception));
    }
}
