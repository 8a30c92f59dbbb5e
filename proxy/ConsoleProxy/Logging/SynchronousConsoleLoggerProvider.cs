using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ConsoleProxy.Logging;

/// <summary>
/// The console logger's own formatters (the JSON lines the proxy has always written), written to stdout on the thread
/// that logs instead of through the console logger's queue and its writer thread. Each console session logs two audit
/// lines; handing each to that thread (a lock, a wake-up, a context switch, the thread going back to sleep) cost
/// 17 % of the relay's CPU per new session in the session benchmark, where the writing itself is one write(2) a line
/// (<see cref="Hosting.StandardOutput"/>). Lines leave in the order they were logged, each whole, and none waits in a
/// queue: a crash loses no line that was logged. Like nginx's unbuffered access log, a stdout that stops taking lines
/// holds up the thread that logs; the queue only postponed that until its 2,500 lines were full.
/// The lines carry no scopes (the JSON formatter's IncludeScopes is off), so the provider takes no part in them: as an
/// <see cref="ISupportExternalScope"/> it made the logger factory keep every scope begun in an AsyncLocal, and Kestrel
/// begins one for every connection, which a console session then carried in its execution context for its whole life
/// (about 120 bytes a session and the context's copy at every await).
/// </summary>
[ProviderAlias("Console")]
public sealed class SynchronousConsoleLoggerProvider : ILoggerProvider
{
    private readonly ConsoleFormatter _formatter;
    private readonly TextWriter _output;

    public SynchronousConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(options, formatters, Console.Out)
    {
    }

    /// <param name="output">Where lines go; written under its own lock (Console.Out is a synchronized writer).</param>
    public SynchronousConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters, TextWriter output)
    {
        var name = options.CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple;
        _formatter = formatters.FirstOrDefault(each => string.Equals(each.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"no console log formatter named '{name}' is registered");
        _output = output;
    }

    public ILogger CreateLogger(string categoryName) => new SynchronousConsoleLogger(categoryName, _formatter, _output);

    public void Dispose() => _output.Flush();

    /// <summary>
    /// Logs JSON lines to stdout through this provider in place of the console logger (whose formatters and options,
    /// <paramref name="configure"/> included, it keeps): `AddJsonConsole` registers them, and its provider is taken out.
    /// </summary>
    public static void AddJsonConsole(ILoggingBuilder logging, Action<JsonConsoleFormatterOptions> configure)
    {
        logging.AddJsonConsole(configure);
        var queued = logging.Services.Where(each => each.ServiceType == typeof(ILoggerProvider) && each.ImplementationType == typeof(ConsoleLoggerProvider)).ToList();
        foreach (var each in queued)
        {
            logging.Services.Remove(each);
        }

        logging.Services.AddSingleton<ILoggerProvider, SynchronousConsoleLoggerProvider>();
    }
}
