using System.Security.Cryptography;
using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Report;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;
using TestKit.Repository;
using Xunit;

namespace ConsoleProxy.Benchmarks.Tests;

/// <summary>
/// The Kestrel WebSocket floor `make bench` measures beside consoleproxy: the real executable, the benchmark's own
/// client and stand-in targets. A floor that lost or reordered bytes, or answered without reaching the target, would make
/// every "met by the floor" verdict in the README meaningless.
/// </summary>
public sealed class KestrelFloorTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("kestrel-floor-test-").FullName;
    private readonly TargetSet _targets = new();
    private WebSocketRelaySystem? _floor;

    private WebSocketRelaySystem Floor => _floor ?? throw new InvalidOperationException("the floor was not started");

    public async Task InitializeAsync() =>
        _floor = await KestrelFloorSystem.StartAsync(Checkout.BuiltProgram("KestrelWebSocketFloor", "KestrelWebSocketFloor"), _targets, _work);

    public async Task DisposeAsync()
    {
        if (_floor is not null)
        {
            await _floor.DisposeAsync();
        }

        await _targets.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public void It_relays_every_byte_both_ways_intact_in_order()
    {
        Assert.Equal(MarkdownTable.KestrelFloor, Floor.Name);
        using var connection = (WebSocketConnection)Floor.Connect(TargetMode.Echo);

        // More than the floor's 64 KiB buffer per direction, in frames of uneven size, so reads and frames are cut apart.
        var sent = RandomNumberGenerator.GetBytes(300 * 1024);
        for (var offset = 0; offset < sent.Length;)
        {
            var size = Math.Min(sent.Length - offset, 70_000 + (offset % 9_000));
            connection.Send(sent.AsSpan(offset, size));
            offset += size;
        }

        var received = new byte[sent.Length];
        for (var filled = 0; filled < received.Length;)
        {
            var read = connection.Receive(received.AsSpan(filled));
            Assert.True(read > 0, $"the floor closed after {filled} of {received.Length} bytes");
            filled += read;
        }

        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task Each_session_reaches_the_target_of_its_url_and_an_idle_one_stays_open()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var connection = await Floor.ConnectAsync(TargetMode.Greeting, timeout.Token);
        var greeting = new byte[12];
        for (var filled = 0; filled < greeting.Length;)
        {
            var read = await connection.ReceiveAsync(greeting.AsMemory(filled), timeout.Token);
            Assert.True(read > 0, "the floor closed before the target's greeting arrived");
            filled += read;
        }

        Assert.Equal("RFB 003.008\n"u8.ToArray(), greeting);

        // Nothing more comes while nobody sends: the session is held, not closed.
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await connection.ReceiveAsync(new byte[16], quiet.Token));
    }
}
