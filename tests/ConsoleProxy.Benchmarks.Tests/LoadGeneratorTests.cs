using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ConsoleProxy.Benchmarks.Fleet;
using ConsoleProxy.Benchmarks.Measurements;
using ConsoleProxy.Benchmarks.Systems;
using Xunit;

namespace ConsoleProxy.Benchmarks.Tests;

/// <summary>
/// The cheaper live-console load generator: an update sent without blocking must still arrive whole and in order
/// when the socket takes only part of it (backpressure), and the generator's socket setting must not leak into the
/// relays it measures.
/// </summary>
public sealed class LoadGeneratorTests
{
    [Fact]
    public async Task Updates_the_socket_takes_only_in_part_arrive_whole_with_their_header_and_filler()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await receiver.ConnectAsync(listener.LocalEndPoint!);
        using var target = await listener.AcceptAsync();
        target.SendBufferSize = 4096;
        var filler = new byte[ConsoleMessages.MaxUpdate];
        Random.Shared.NextBytes(filler);
        var sender = new UpdateSender(target, filler);

        // Three whole-size updates while nobody reads: the small buffers cannot take them, so at least one goes the
        // asynchronous way, and the next is only sent after it (as PacedSends does).
        int[] lengths = [ConsoleMessages.MaxUpdate, ConsoleMessages.MinUpdate, 10_000];
        var reading = ReadAllAsync(receiver, lengths.Sum());
        var partial = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            var send = sender.SendAsync((uint)(1_000 + i), lengths[i]);
            partial += send.IsCompleted ? 0 : 1;
            await send;
        }

        var stream = await reading;
        Assert.True(partial > 0, "no send was left to finish asynchronously: the test did not reach the backpressure path");
        var offset = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            Assert.Equal(lengths[i], BinaryPrimitives.ReadInt32BigEndian(stream.AsSpan(offset)));
            Assert.Equal((uint)(1_000 + i), BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(offset + 4)));
            Assert.True(stream.AsSpan(offset + 8, lengths[i] - 8).SequenceEqual(filler.AsSpan(0, lengths[i] - 8)), $"update {i}'s filler arrived changed");
            offset += lengths[i];
        }
    }

    [Fact]
    public async Task A_relay_does_not_inherit_the_load_generators_inline_completions()
    {
        var before = Environment.GetEnvironmentVariable(LoadGeneratorSockets.InlineCompletionsVariable);
        Environment.SetEnvironmentVariable(LoadGeneratorSockets.InlineCompletionsVariable, "1");
        var log = Path.GetTempFileName();
        try
        {
            await using var relay = RelayProcess.Start("/bin/sleep", ["30"], new Dictionary<string, string> { ["BENCH_MARK"] = "seen" }, log);
            var environment = await ReadEnvironmentAsync(relay.Id);

            Assert.Contains("BENCH_MARK=seen", environment);
            Assert.DoesNotContain(environment, variable => variable.StartsWith(LoadGeneratorSockets.InlineCompletionsVariable, StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(LoadGeneratorSockets.InlineCompletionsVariable, before);
            File.Delete(log);
        }
    }

    private static async Task<string[]> ReadEnvironmentAsync(int pid)
    {
        // The shell execs the relay: until it has, /proc shows the shell's environment, which has the mark too.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var command = await File.ReadAllTextAsync($"/proc/{pid}/cmdline");
            if (command.StartsWith("/bin/sleep", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(20);
        }

        return (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<byte[]> ReadAllAsync(Socket socket, int length)
    {
        // Let the sender fill the buffers first.
        await Task.Delay(200);
        var buffer = new byte[length];
        for (var filled = 0; filled < length;)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
            Assert.True(read > 0, $"the connection closed after {filled} of {length} bytes");
            filled += read;
        }

        return buffer;
    }
}
