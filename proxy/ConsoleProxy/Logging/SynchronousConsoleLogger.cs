using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ConsoleProxy.Logging;

/// <summary>
/// One category's logger of <see cref="SynchronousConsoleLoggerProvider"/>: formats a line as the console logger does
/// (into a per-thread buffer) and writes it whole under the output's lock. Which levels are logged is the logger
/// factory's filters' business, as for any provider. Scopes are not kept: the lines do not show them.
/// </summary>
internal sealed class SynchronousConsoleLogger(string category, ConsoleFormatter lineFormatter, TextWriter output) : ILogger
{
    [ThreadStatic]
    private static StringWriter? ThreadLine;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull =>
        NullLogger.Instance.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = ThreadLine ??= new StringWriter(new StringBuilder(1024));
        var builder = line.GetStringBuilder();
        try
        {
            lineFormatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), null, line);
            if (builder.Length == 0)
            {
                return;
            }

            // One Write of the whole line: the output's lock keeps lines from interleaving, its buffer makes it one write(2).
            output.Write(builder);
        }
        finally
        {
            // A line as long as a stack trace does not stay with the thread.
            if (builder.Capacity > 16 * 1024)
            {
                ThreadLine = null;
            }
            else
            {
                builder.Clear();
            }
        }
    }
}
