using System.Text.Json;
using ConsoleProxy.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ConsoleProxy.Tests.Logging;

/// <summary>
/// The proxy's log lines: the console logger's JSON, written on the thread that logs (no queue, no writer thread:
/// what a session's two audit lines cost through them was 17 % of the relay's CPU per new session).
/// </summary>
public sealed class SynchronousConsoleLoggerProviderTests
{
    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    [Fact]
    public void A_line_is_out_whole_in_the_console_loggers_JSON_when_Log_returns()
    {
        using var output = new StringWriter();
        using var provider = ProviderWriting(output);
        var logger = provider.CreateLogger("ConsoleProxy.Audit");

        logger.Log(LogLevel.Information, new EventId(2), new List<KeyValuePair<string, object?>> { new("SessionId", 7L), new("Owner", "alice") }, null, (_, _) => "Session 7 started");

        // No wait of any kind: the queued console logger would have nothing here yet.
        var line = output.ToString();
        Assert.EndsWith(Environment.NewLine, line, StringComparison.Ordinal);
        Assert.Single(line.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("EventId").GetInt32());
        Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
        Assert.Equal("ConsoleProxy.Audit", root.GetProperty("Category").GetString());
        Assert.Equal("Session 7 started", root.GetProperty("Message").GetString());
        Assert.Equal("alice", root.GetProperty("State").GetProperty("Owner").GetString());
        var timestamp = root.GetProperty("Timestamp").GetString();
        Assert.True(
            DateTime.TryParseExact(timestamp, TimestampFormat, null, System.Globalization.DateTimeStyles.AdjustToUniversal, out _),
            $"the formatter's options apply: timestamp '{timestamp}' in {TimestampFormat}");
    }

    [Fact]
    public async Task Lines_logged_from_many_threads_come_out_whole_in_each_threads_order_and_none_is_lost()
    {
        const int Threads = 8;
        const int LinesEach = 400;
        using var output = new StringWriter();
        using var provider = ProviderWriting(TextWriter.Synchronized(output));
        var logger = provider.CreateLogger("ConsoleProxy.Audit");

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < LinesEach; i++)
            {
                // Long enough that an interleaving of two lines could not go unnoticed.
                logger.Log(LogLevel.Information, new EventId(3), $"{thread}:{i}", null, (state, _) => $"{state} {new string('x', 600)}");
            }
        })));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Threads * LinesEach, lines.Length);
        var next = new int[Threads];
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var message = json.RootElement.GetProperty("Message").GetString()!;
            var parts = message[..message.IndexOf(' ', StringComparison.Ordinal)].Split(':');
            var thread = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(next[thread]++, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void A_line_longer_than_the_buffer_a_thread_keeps_goes_out_whole_and_so_do_the_lines_after_it()
    {
        using var output = new StringWriter();
        using var provider = ProviderWriting(output);
        var logger = provider.CreateLogger("ConsoleProxy.Relay");

        logger.LogWarning(new InvalidOperationException(new string('e', 40_000)), "a long one");
        logger.LogInformation("a short one");

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Contains(new string('e', 40_000), first.RootElement.GetProperty("Exception").GetString(), StringComparison.Ordinal);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("a short one", second.RootElement.GetProperty("Message").GetString());
    }

    [Fact]
    public void A_scope_sets_nothing_in_the_execution_context_so_a_connection_does_not_carry_it_for_its_life()
    {
        using var services = new ServiceCollection()
            .AddLogging(logging => SynchronousConsoleLoggerProvider.AddJsonConsole(logging, json => json.UseUtcTimestamp = true))
            .BuildServiceProvider();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Server.Kestrel");
        var before = ExecutionContext.Capture();

        // What Kestrel does for every connection when its category is enabled at any level.
        using (logger.BeginScope("connection 0HN1"))
        {
            // Setting an AsyncLocal (the logger factory's scope provider keeps scopes in one) replaces the context.
            Assert.Same(before, ExecutionContext.Capture());
        }
    }

    [Fact]
    public void The_registration_takes_the_console_loggers_place_and_keeps_its_json_formatter()
    {
        using var services = new ServiceCollection()
            .AddLogging(logging => SynchronousConsoleLoggerProvider.AddJsonConsole(logging, json => json.UseUtcTimestamp = true))
            .BuildServiceProvider();

        var provider = Assert.Single(services.GetServices<ILoggerProvider>());
        Assert.IsType<SynchronousConsoleLoggerProvider>(provider);
        Assert.Equal(ConsoleFormatterNames.Json, services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Fact]
    public void A_formatter_name_nothing_registered_is_refused_by_name()
    {
        using var services = FormatterServices();
        var options = new OptionsMonitorOf(new ConsoleLoggerOptions { FormatterName = "xml" });

        var refusal = Assert.Throws<InvalidOperationException>(() => new SynchronousConsoleLoggerProvider(options, services.GetServices<ConsoleFormatter>(), TextWriter.Null));
        Assert.Contains("'xml'", refusal.Message, StringComparison.Ordinal);
    }

    private static SynchronousConsoleLoggerProvider ProviderWriting(TextWriter output)
    {
        var services = FormatterServices();
        return new SynchronousConsoleLoggerProvider(
            services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(),
            services.GetServices<ConsoleFormatter>(),
            output);
    }

    // The proxy's own configuration of the formatter (Hosting/ProxyApplication.cs).
    private static ServiceProvider FormatterServices() =>
        new ServiceCollection()
            .AddLogging(logging => SynchronousConsoleLoggerProvider.AddJsonConsole(logging, json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = TimestampFormat;
            }))
            .BuildServiceProvider();

    private sealed class OptionsMonitorOf(ConsoleLoggerOptions value) : IOptionsMonitor<ConsoleLoggerOptions>
    {
        public ConsoleLoggerOptions CurrentValue => value;

        public ConsoleLoggerOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleLoggerOptions, string?> listener) => null;
    }
}
