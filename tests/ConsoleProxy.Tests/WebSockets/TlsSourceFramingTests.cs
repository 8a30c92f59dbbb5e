using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConsoleProxy.WebSockets;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Tests.WebSockets;

/// <summary>
/// The screen direction from a VNC server behind TLS (`--target-tls`, VeNCrypt): a TLS read stops at its record's
/// end (16 KiB), so one read a call sent a frame and a flush (a send system call towards the browser) per record.
/// One call must go on record after record while the socket under the stream holds more, as the plain socket path
/// does (what the TLS stream already pulled off the socket is left to the next call: the caller's zero-byte wait
/// returns at once for it). Real TLS over loopback sockets; the browser's side is an in-memory pipe.
/// </summary>
public sealed class TlsSourceFramingTests
{
    private const int Screen = 120 * 1024;

    [Fact]
    public async Task One_call_relays_the_TLS_records_the_socket_already_holds_not_one_record()
    {
        using var certificate = SelfSigned();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var vncSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await vncSocket.ConnectAsync(listener.LocalEndPoint!);
        using var proxySocket = await listener.AcceptAsync();
        await using var vnc = new SslStream(new NetworkStream(vncSocket, ownsSocket: false));
        await using var proxySide = new SslStream(new NetworkStream(proxySocket, ownsSocket: false), false, (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString());
        await Task.WhenAll(
            vnc.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }),
            proxySide.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "vnc" }));

        var screen = new byte[Screen];
        Random.Shared.NextBytes(screen);
        await vnc.WriteAsync(screen);
        await vnc.FlushAsync();

        // All of it at the proxy's socket (ciphertext: the plaintext and a header and tag per record) before the call.
        await Poll.UntilAsync(() => proxySocket.Available >= Screen + (Screen / (16 * 1024) * 21), "the records to arrive");
        var toBrowser = new Pipe();
        using var connection = new WebSocketConnection(new Pipe().Reader, toBrowser.Writer, () => { }, TimeSpan.Zero, TimeProvider.System);
        var reading = ReadFramesAsync(toBrowser.Reader, Screen);

        var first = await connection.SendFromAsync(proxySide, proxySocket, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var relayed = first;
        while (relayed < Screen)
        {
            await proxySide.ReadAsync(Memory<byte>.Empty).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            relayed += await connection.SendFromAsync(proxySide, proxySocket, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        // A record is 16 KiB at most: more than two in one call (of the eight sent), whatever the stream pulled off
        // the socket ahead of its reads.
        Assert.True(first > 2 * 16 * 1024, $"the first call relayed {first} of {Screen} bytes: one TLS record a call");
        Assert.Equal(Screen, relayed);
        Assert.Equal(screen, await reading.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<byte[]> ReadFramesAsync(PipeReader reader, int count)
    {
        var received = new List<byte>();
        while (received.Count < count)
        {
            var (opcode, payload) = await ServerFrames.ReadAsync(reader);
            Assert.Equal(WebSocketOpcode.Binary, opcode);
            received.AddRange(payload);
        }

        return [.. received];
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=vnc", key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        // Through PKCS#12 so the key is usable by the TLS server on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
