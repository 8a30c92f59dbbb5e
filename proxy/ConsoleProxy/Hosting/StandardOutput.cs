using System.Text;

namespace ConsoleProxy.Hosting;

/// <summary>
/// Gives <see cref="Console.Out"/> a buffer that holds a whole log line (the lines are written to it by
/// <see cref="Logging.SynchronousConsoleLoggerProvider"/>). The runtime's own writer on Unix has a
/// 256-byte buffer and flushes after every call, so each JSON log line (a session's audit line is
/// about 900 bytes) reached stdout in four write(2) calls: seven of them per console session (strace, new-sessions
/// benchmark). With this writer a line is one write(2); every call is still flushed at once (AutoFlush), so nothing
/// waits in the buffer and a crash loses no line that was logged.
/// </summary>
public static class StandardOutput
{
    private const int BufferSize = 16 * 1024;

    public static void WriteEachCallInOneSystemCall() =>
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize) { AutoFlush = true });
}
