using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using ConsoleProxy.WebSockets;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Tests.WebSockets;

/// <summary>The connection over in-memory pipes standing in for Kestrel's transport: what a browser sends in, what the proxy writes out.</summary>
public sealed class WebSocketConnectionTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    private readonly Pipe _fromBrowser = new();
    private readonly Pipe _toBrowser = new();
    private readonly ManualTimeProvider _time = new();
    private int _aborts;

    public void Dispose()
    {
        _fromBrowser.Writer.Complete();
        _toBrowser.Reader.Complete();
    }

    [Fact]
    public async Task Data_arriving_a_byte_at_a_time_across_fragments_and_pings_comes_out_whole_and_pings_are_answered()
    {
        using var connection = Connect();
        var data = new byte[5_000];
        Random.Shared.NextBytes(data);

        var sending = SendFragmentedWithPingsByteByByteAsync(data, "are you there"u8.ToArray());
        var received = await ReceiveExactlyAsync(connection, data.Length, destinationSize: 700);
        await sending;

        Assert.Equal(data, received);
        var pong = await ServerFrames.ReadAsync(_toBrowser.Reader);
        Assert.Equal(WebSocketOpcode.Pong, pong.Opcode);
        Assert.Equal("are you there"u8.ToArray(), pong.Payload);
    }

    [Fact]
    public async Task A_destination_smaller_than_what_arrived_is_filled_again_at_once_from_what_is_left()
    {
        using var connection = Connect();
        var data = new byte[1_000];
        Random.Shared.NextBytes(data);
        await _fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Binary, data));

        // Nothing more arrives: every read must be served from what is already buffered.
        var received = await ReceiveExactlyAsync(connection, data.Length, destinationSize: 64);

        Assert.Equal(data, received);
    }

    [Fact]
    public async Task Waiting_to_receive_takes_nothing_and_control_frames_alone_return_no_data()
    {
        using var connection = Connect();
        await _fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Pong, [1, 2]));

        Assert.Equal(8, await connection.WaitToReceiveAsync().AsTask().WaitAsync(Within));
        Assert.Equal(8, await connection.WaitToReceiveAsync().AsTask().WaitAsync(Within));
        var count = await connection.ReceiveAsync(new byte[16], CancellationToken.None).AsTask().WaitAsync(Within);

        Assert.Equal(0, count);
        Assert.False(connection.CloseReceived);
        var waiting = connection.WaitToReceiveAsync().AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted, "waiting returned with nothing new to read");
        await _fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Binary, [9]));
        await waiting.WaitAsync(Within);
    }

    [Fact]
    public async Task Cancelling_a_pending_wait_ends_it_with_nothing_taken_and_the_next_wait_sees_what_arrives()
    {
        using var connection = Connect();
        var waiting = connection.WaitToReceiveAsync().AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted, "waiting returned with nothing to read");

        connection.CancelPendingWait();

        Assert.Equal(0, await waiting.WaitAsync(Within));
        Assert.False(connection.IsBroken);
        await _fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Binary, [5, 6]));
        Assert.Equal(8, await connection.WaitToReceiveAsync().AsTask().WaitAsync(Within));
        var buffer = new byte[16];
        Assert.Equal(2, await connection.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Within));
        Assert.Equal([5, 6], buffer[..2]);
    }

    [Fact]
    public async Task The_browser_s_close_frame_ends_reading_with_its_code_and_reason()
    {
        using var connection = Connect();
        byte[] wire = [.. ClientFrames.Frame(WebSocketOpcode.Binary, [7, 7]), .. ClientFrames.Close(4000, "done"), .. ClientFrames.Frame(WebSocketOpcode.Binary, [8])];
        await _fromBrowser.Writer.WriteAsync(wire);

        var buffer = new byte[16];
        Assert.Equal(2, await connection.ReceiveAsync(buffer, CancellationToken.None));
        Assert.Equal(0, await connection.ReceiveAsync(buffer, CancellationToken.None));

        Assert.True(connection.CloseReceived);
        Assert.Equal((WebSocketCloseStatus)4000, connection.CloseStatus);
        Assert.Equal("done", connection.CloseDescription);
        Assert.Equal(0, await connection.ReceiveAsync(buffer, CancellationToken.None));
    }

    [Theory]
    [InlineData("text", WebSocketCloseStatus.InvalidMessageType)]
    [InlineData("new message inside a fragmented one", WebSocketCloseStatus.ProtocolError)]
    [InlineData("continuation without a message", WebSocketCloseStatus.ProtocolError)]
    [InlineData("close with a reserved code", WebSocketCloseStatus.ProtocolError)]
    [InlineData("close reason that is not UTF-8", WebSocketCloseStatus.InvalidPayloadData)]
    [InlineData("unmasked frame", WebSocketCloseStatus.ProtocolError)]
    public async Task A_violation_sends_the_matching_close_frame_and_throws(string what, WebSocketCloseStatus expected)
    {
        using var connection = Connect();
        byte[] wire = what switch
        {
            "text" => ClientFrames.Frame(WebSocketOpcode.Text, "hi"u8),
            "new message inside a fragmented one" => [.. ClientFrames.Frame(WebSocketOpcode.Binary, [1], final: false), .. ClientFrames.Frame(WebSocketOpcode.Binary, [2])],
            "continuation without a message" => ClientFrames.Frame(WebSocketOpcode.Continuation, [1]),
            "close with a reserved code" => ClientFrames.Close(1005),
            "close reason that is not UTF-8" => ClientFrames.Frame(WebSocketOpcode.Close, [0x03, 0xE8, 0xC3, 0x28]),
            _ => [0x82, 0x01, 0x41],
        };
        await _fromBrowser.Writer.WriteAsync(wire);

        var error = await Assert.ThrowsAsync<WebSocketProtocolException>(async () =>
        {
            var buffer = new byte[16];
            while (true)
            {
                await connection.ReceiveAsync(buffer, CancellationToken.None);
            }
        });

        Assert.Equal(expected, error.Status);
        Assert.Same(error, connection.Violation);
        var close = await ServerFrames.ReadAsync(_toBrowser.Reader);
        Assert.Equal(WebSocketOpcode.Close, close.Opcode);
        Assert.Equal((ushort)expected, BinaryPrimitives.ReadUInt16BigEndian(close.Payload));
        Assert.Equal(error.Message, Encoding.UTF8.GetString(close.Payload.AsSpan(2)));
        Assert.False(connection.CanSendClose);
    }

    [Fact]
    public async Task A_connection_that_ends_without_a_close_frame_is_broken()
    {
        using var connection = Connect();
        await _fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Binary, new byte[10]).AsMemory(0, 5));
        await _fromBrowser.Writer.CompleteAsync();

        // An outcome, not an exception: a session's end must not cost one.
        Assert.Equal(0, await connection.ReceiveAsync(new byte[16], CancellationToken.None));

        Assert.True(connection.IsBroken);
        Assert.Equal(0, await connection.WaitToReceiveAsync());
        Assert.False(connection.CanSendClose);
    }

    [Fact]
    public async Task Bytes_from_the_VNC_socket_go_out_as_binary_frames_of_at_most_64_KiB_and_its_end_returns_0()
    {
        using var connection = Connect();
        var (vnc, proxySide) = await SocketPairAsync();
        using (vnc)
        using (proxySide)
        {
            await vnc.SendAsync(new byte[] { 1, 2, 3 });
            await Poll.UntilAsync(() => proxySide.Available == 3, "the first bytes to arrive");
            Assert.Equal(3, await connection.SendFromAsync(proxySide, CancellationToken.None));
            var small = await ServerFrames.ReadAsync(_toBrowser.Reader);
            Assert.Equal(WebSocketOpcode.Binary, small.Opcode);
            Assert.Equal(new byte[] { 1, 2, 3 }, small.Payload);

            var data = new byte[300_000];
            Random.Shared.NextBytes(data);
            var reading = ReadFramesAsync(data.Length);
            var writing = vnc.SendAsync(data);
            var relayed = 0;
            while (relayed < data.Length)
            {
                await proxySide.ReceiveAsync(Memory<byte>.Empty);
                relayed += await connection.SendFromAsync(proxySide, CancellationToken.None);
            }

            await writing;
            Assert.Equal(data, await reading);

            vnc.Shutdown(SocketShutdown.Send);
            await proxySide.ReceiveAsync(Memory<byte>.Empty);
            Assert.Equal(0, await connection.SendFromAsync(proxySide, CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_relay_send_cancelled_before_its_turn_returns_0_without_throwing_and_leaves_the_bytes_unread()
    {
        // The relay's abort (the browser's reset) can fire while its send waits for the write lock: the end of a
        // session, which must cost no exception (SessionEndExceptionTests counts them; this is its rare race made certain).
        using var connection = Connect();
        var (vnc, proxySide) = await SocketPairAsync();
        using (vnc)
        using (proxySide)
        {
            await vnc.SendAsync(new byte[] { 1, 2, 3 });
            await Poll.UntilAsync(() => proxySide.Available == 3, "the bytes to arrive");
            var thrown = 0;
            void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref thrown);
            AppDomain.CurrentDomain.FirstChanceException += Count;
            try
            {
                Assert.Equal(0, await connection.SendFromAsync(proxySide, new CancellationToken(canceled: true)));
            }
            finally
            {
                AppDomain.CurrentDomain.FirstChanceException -= Count;
            }

            Assert.Equal(0, thrown);
            Assert.False(connection.IsBroken);
            Assert.Equal(3, proxySide.Available);
            Assert.Equal(3, await connection.SendFromAsync(proxySide, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Relayed_in_place_data_arriving_a_byte_at_a_time_across_fragments_and_pings_reaches_the_VNC_socket_whole()
    {
        using var connection = Connect();
        var (vnc, proxySide) = await SocketPairAsync();
        using (vnc)
        using (proxySide)
        {
            var data = new byte[5_000];
            Random.Shared.NextBytes(data);

            var sending = SendFragmentedWithPingsByteByByteAsync(data, "still there?"u8.ToArray());
            var relayed = 0;
            while (relayed < data.Length)
            {
                relayed += await connection.ReceiveToAsync(proxySide, CancellationToken.None).AsTask().WaitAsync(Within);
            }

            await sending;
            Assert.Equal(data.Length, relayed);
            Assert.Equal(data, await ReceiveExactlyAsync(vnc, data.Length));
            var pong = await ServerFrames.ReadAsync(_toBrowser.Reader);
            Assert.Equal(WebSocketOpcode.Pong, pong.Opcode);
            Assert.Equal("still there?"u8.ToArray(), pong.Payload);
        }
    }

    [Fact]
    public async Task Relayed_in_place_more_than_one_batch_already_buffered_is_relayed_without_waiting_for_more()
    {
        // Small pipe segments: the payload lies in many pieces, sent in one gathered send per call.
        var fromBrowser = UnboundedPipe();
        using var connection = new WebSocketConnection(fromBrowser.Reader, _toBrowser.Writer, () => Interlocked.Increment(ref _aborts), TimeSpan.Zero, _time);
        var (vnc, proxySide) = await SocketPairAsync();
        using (vnc)
        using (proxySide)
        {
            var data = new byte[3 * 1024 * 1024];
            Random.Shared.NextBytes(data);
            await fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Binary, data.AsSpan(0, 1_000_000), final: false));
            await fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Continuation, data.AsSpan(1_000_000)));
            var reading = ReceiveExactlyAsync(vnc, data.Length);

            var calls = new List<int>();
            while (calls.Sum() < data.Length)
            {
                // Nothing more is written: each call must find the rest already buffered.
                calls.Add(await connection.ReceiveToAsync(proxySide, CancellationToken.None).AsTask().WaitAsync(Within));
            }

            Assert.Equal(data, await reading.WaitAsync(Within));
            Assert.All(calls, relayed => Assert.InRange(relayed, 1, 1024 * 1024));
            Assert.True(calls.Count >= 3, $"{calls.Count} calls relayed 3 MiB: more than 1 MiB in one call");
            fromBrowser.Writer.Complete();
        }
    }

    [Fact]
    public async Task Relaying_in_place_a_violation_sends_the_close_frame_throws_and_sends_nothing_to_the_VNC_socket()
    {
        using var connection = Connect();
        var (vnc, proxySide) = await SocketPairAsync();
        using (vnc)
        using (proxySide)
        {
            await _fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Text, "hi"u8));

            var error = await Assert.ThrowsAsync<WebSocketProtocolException>(async () => await connection.ReceiveToAsync(proxySide, CancellationToken.None));

            Assert.Equal(WebSocketCloseStatus.InvalidMessageType, error.Status);
            var close = await ServerFrames.ReadAsync(_toBrowser.Reader);
            Assert.Equal(WebSocketOpcode.Close, close.Opcode);
            Assert.Equal(0, vnc.Available);
        }
    }

    [Fact]
    public async Task Relaying_in_place_to_a_VNC_server_that_stopped_reading_ends_when_cancelled()
    {
        var fromBrowser = UnboundedPipe();
        using var connection = new WebSocketConnection(fromBrowser.Reader, _toBrowser.Writer, () => Interlocked.Increment(ref _aborts), TimeSpan.Zero, _time);
        var (vnc, proxySide) = await SocketPairAsync();
        using (vnc)
        using (proxySide)
        {
            // Far more than the two sockets' buffers hold, and nobody reads the VNC end.
            var data = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                await fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Binary, data));
            }

            using var cancel = new CancellationTokenSource();
            Task<int> Relay() => connection.ReceiveToAsync(proxySide, cancel.Token).AsTask();
            var stuck = Relay();
            while (await Task.WhenAny(stuck, Task.Delay(500)) == stuck)
            {
                stuck = Relay();
            }

            await cancel.CancelAsync();

            var error = await Assert.ThrowsAnyAsync<Exception>(() => stuck.WaitAsync(Within));
            Assert.True(error is ObjectDisposedException or SocketException or OperationCanceledException, error.ToString());
            fromBrowser.Writer.Complete();
        }
    }

    [Fact]
    public async Task Relaying_in_place_a_connection_that_ends_without_a_close_frame_is_broken()
    {
        using var connection = Connect();
        var (vnc, proxySide) = await SocketPairAsync();
        using (vnc)
        using (proxySide)
        {
            await _fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Binary, new byte[10]).AsMemory(0, 5));
            await _fromBrowser.Writer.CompleteAsync();

            Assert.Equal(0, await connection.ReceiveToAsync(proxySide, CancellationToken.None));

            Assert.True(connection.IsBroken);
        }
    }

    [Fact]
    public async Task The_close_frame_is_sent_once_and_nothing_follows_it()
    {
        using var connection = Connect();

        await connection.CloseOutputAsync((WebSocketCloseStatus)4003, "idle timeout", CancellationToken.None);
        await connection.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "again", CancellationToken.None);
        await _toBrowser.Writer.CompleteAsync();

        var close = await ServerFrames.ReadAsync(_toBrowser.Reader);
        Assert.Equal(WebSocketOpcode.Close, close.Opcode);
        Assert.Equal([0x0F, 0xA3, .. "idle timeout"u8], close.Payload);
        var rest = await _toBrowser.Reader.ReadAsync();
        Assert.True(rest.Buffer.IsEmpty && rest.IsCompleted, "something followed the close frame");
        Assert.True(connection.CloseSent);
        var (vnc, proxySide) = await SocketPairAsync();
        using (vnc)
        using (proxySide)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await connection.SendFromAsync(proxySide, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Pings_go_out_every_interval_and_a_browser_silent_for_a_whole_interval_after_one_is_dropped()
    {
        using var connection = Connect(pingInterval: TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(30));
        await AssertEmptyPingAsync();

        // The browser answers: the next tick pings again instead of dropping it.
        await _fromBrowser.Writer.WriteAsync(ClientFrames.Frame(WebSocketOpcode.Pong, []));
        Assert.Equal(0, await connection.ReceiveAsync(new byte[8], CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(30));
        await AssertEmptyPingAsync();
        Assert.Equal(0, Volatile.Read(ref _aborts));

        // Silence for a whole interval: dropped.
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, Volatile.Read(ref _aborts));
        Assert.True(connection.IsBroken);
    }

    [Fact]
    public async Task Without_a_ping_interval_nothing_is_sent_and_nobody_is_dropped()
    {
        using var connection = Connect(pingInterval: TimeSpan.Zero);

        _time.Advance(TimeSpan.FromHours(1));
        await _toBrowser.Writer.CompleteAsync();

        var output = await _toBrowser.Reader.ReadAsync();
        Assert.True(output.Buffer.IsEmpty);
        Assert.Equal(0, _aborts);
    }

    private async Task AssertEmptyPingAsync()
    {
        var (opcode, payload) = await ServerFrames.ReadAsync(_toBrowser.Reader);
        Assert.Equal(WebSocketOpcode.Ping, opcode);
        Assert.Empty(payload);
    }

    private WebSocketConnection Connect(TimeSpan? pingInterval = null) =>
        new(_fromBrowser.Reader, _toBrowser.Writer, () => Interlocked.Increment(ref _aborts), pingInterval ?? TimeSpan.Zero, _time);

    private static async Task<byte[]> ReceiveExactlyAsync(WebSocketConnection connection, int count, int destinationSize)
    {
        var received = new List<byte>();
        var buffer = new byte[destinationSize];
        while (received.Count < count)
        {
            var read = await connection.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Within);
            received.AddRange(buffer.AsSpan(0, read));
        }

        return [.. received];
    }

    /// <summary>
    /// Writes <paramref name="data"/> as the browser might, a byte at a time: a message in three
    /// fragments (the last one empty) with a ping and a pong between them, then one more message.
    /// </summary>
    private Task SendFragmentedWithPingsByteByByteAsync(byte[] data, byte[] ping)
    {
        byte[] wire =
        [
            .. ClientFrames.Frame(WebSocketOpcode.Binary, data.AsSpan(0, 100), final: false),
            .. ClientFrames.Frame(WebSocketOpcode.Ping, ping),
            .. ClientFrames.Frame(WebSocketOpcode.Continuation, data.AsSpan(100, 4_000), final: false),
            .. ClientFrames.Frame(WebSocketOpcode.Continuation, [], final: true),
            .. ClientFrames.Frame(WebSocketOpcode.Pong, []),
            .. ClientFrames.Frame(WebSocketOpcode.Binary, data.AsSpan(4_100)),
        ];
        return Task.Run(async () =>
        {
            foreach (var b in wire)
            {
                await _fromBrowser.Writer.WriteAsync(new[] { b });
            }
        });
    }

    /// <summary>A browser-side pipe that never makes the writer wait, in 4 KiB segments (many pieces per batch).</summary>
    private static Pipe UnboundedPipe() => new(new PipeOptions(minimumSegmentSize: 4096, pauseWriterThreshold: 0));

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        var received = new byte[count];
        var total = 0;
        while (total < count)
        {
            var read = await socket.ReceiveAsync(received.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(Within);
            Assert.NotEqual(0, read);
            total += read;
        }

        return received;
    }

    private async Task<byte[]> ReadFramesAsync(int count)
    {
        var received = new List<byte>();
        while (received.Count < count)
        {
            var (opcode, payload) = await ServerFrames.ReadAsync(_toBrowser.Reader);
            Assert.Equal(WebSocketOpcode.Binary, opcode);
            Assert.InRange(payload.Length, 1, ushort.MaxValue);
            received.AddRange(payload);
        }

        return [.. received];
    }

    private static async Task<(Socket Vnc, Socket ProxySide)> SocketPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var vnc = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await vnc.ConnectAsync(listener.LocalEndPoint!);
        return (vnc, await listener.AcceptAsync());
    }
}
