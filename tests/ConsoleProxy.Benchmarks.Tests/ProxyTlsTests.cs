using System.Security.Authentication;
using System.Security.Cryptography;
using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Measurements;
using ConsoleProxy.Benchmarks.Report;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;
using TestKit.Processes;
using Xunit;

namespace ConsoleProxy.Benchmarks.Tests;

/// <summary>
/// `make bench`'s "TLS at the proxy": the real consoleproxy serving wss (`--cert/--key`) to the benchmark's own client.
/// A wss figure that silently measured plaintext, or bytes the client counted without TLS having carried them intact,
/// would make the wss/ws ratio in the README a lie.
/// </summary>
public sealed class ProxyTlsTests(WssProxy proxy) : IClassFixture<WssProxy>
{
    private WebSocketRelaySystem Wss => proxy.Proxy;

    [Fact]
    public void Wss_negotiates_tls_with_the_proxys_certificate_and_echoes_every_byte_intact()
    {
        Assert.Equal(ConsoleProxySystem.WssName, Wss.Name);
        Assert.Equal("wss", Wss.Url(TargetMode.Echo).Scheme);
        using var connection = (WebSocketConnection)Wss.Connect(TargetMode.Echo);

        Assert.True(connection.TlsProtocol is SslProtocols.Tls13 or SslProtocols.Tls12, $"negotiated {connection.TlsProtocol}");
        Assert.NotNull(connection.TlsCipherSuite);

        // Frames bigger than a TLS record (16 KiB) and than the proxy's relay buffer, so records and frames are cut apart.
        var sent = RandomNumberGenerator.GetBytes(300 * 1024);
        for (var offset = 0; offset < sent.Length; offset += 100 * 1024)
        {
            connection.Send(sent.AsSpan(offset, 100 * 1024));
        }

        var received = new byte[sent.Length];
        for (var filled = 0; filled < received.Length;)
        {
            var read = connection.Receive(received.AsSpan(filled));
            Assert.True(read > 0, $"the proxy closed after {filled} of {received.Length} bytes");
            filled += read;
        }

        Assert.Equal(sent, received);
    }

    [Fact]
    public void A_client_pinned_to_another_certificate_refuses_the_proxy()
    {
        var other = ProxyCertificate.Create(Directory.CreateDirectory(Path.Combine(proxy.WorkDirectory, "other")).FullName);

        Assert.Throws<AuthenticationException>(() => WebSocketConnection.Connect(Wss.Url(TargetMode.Echo), 1024, other).Dispose());
    }

    [Fact]
    public void Plain_ws_to_the_wss_port_gets_no_session()
    {
        var plain = new UriBuilder(Wss.Url(TargetMode.Echo)) { Scheme = "ws" }.Uri;

        // The proxy reads the request as a TLS ClientHello, fails it and closes: no upgrade response at all.
        var refused = Assert.Throws<InvalidOperationException>(() => WebSocketConnection.Connect(plain, 1024, null).Dispose());
        Assert.Equal("the relay closed the connection during the handshake", refused.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Throughput_over_wss_counts_bytes_and_charges_the_proxys_cpu_per_gib(bool serverToClient)
    {
        // Two seconds, not a fraction of one: in a CI run under a load average of 40 a half-second window once counted no
        // byte at all (the reading threads and the proxy starved for CPU), which says nothing about the wss path.
        var sample = await Throughput.MeasureAsync(Wss, proxy.Targets, serverToClient, connections: 2, TimeSpan.FromSeconds(2));

        // Even a loaded 2-vCPU machine moves well over 1 MiB/s through loopback TLS.
        Assert.True(sample.BytesPerSecond > 1024 * 1024, $"{sample.BytesPerSecond} bytes/s");
        Assert.True(sample.RelayCpuSecondsPerGiB > 0, $"relay CPU {sample.RelayCpuSecondsPerGiB} s per GiB");
        Assert.True(sample.MachineCpuSecondsPerGiB > 0);
    }

    [Fact]
    public void The_tls_table_has_a_row_per_figure_with_the_wss_over_ws_ratio()
    {
        var figures = new ThroughputFigures("server-to-client, 8 connections", 2);
        figures.Add(MarkdownTable.Proxy, new ThroughputSample(1000 * 1024 * 1024, 0.5, 0.8, 1.6, 0.9));
        figures.Add(ConsoleProxySystem.WssName, new ThroughputSample(400 * 1024 * 1024, 1.25, 2.0, 4.0, 1.0));

        var lines = VariantTable.Render(ConsoleProxySystem.WssName, [.. figures.TlsFigures]).Split('\n').Select(line => line.TrimEnd('\r')).ToList();

        Assert.Equal("| Figure | consoleproxy | consoleproxy wss | consoleproxy wss / consoleproxy |", lines[0]);
        Assert.Contains("| server-to-client, 8 connections (MiB/s) | 1000 | 400 | 0.40x |", lines);
        Assert.Contains("| relay CPU, server-to-client, 8 connections (CPU s per GiB) | 0.50 | 1.25 | 2.50x |", lines);
        Assert.Contains("| load generator CPU, server-to-client, 8 connections (CPU s per GiB, client and target threads) | 0.80 | 2.00 | 2.50x |", lines);
        Assert.Contains("| machine CPU, server-to-client, 8 connections (CPU s per GiB, all processes and the kernel) | 1.60 | 4.00 | 2.50x |", lines);
    }
}
