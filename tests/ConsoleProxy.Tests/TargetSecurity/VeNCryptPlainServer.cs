using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.TargetSecurity;

/// <summary>
/// An RFB 3.8 server that offers only VeNCrypt X509Plain (subtype 262), over a real <see cref="SslStream"/> with the
/// server certificate of <see cref="VeNCryptCredentials"/> and a client certificate demanded and checked against its CA.
/// It exists because no installable server can take part in a self-contained test: QEMU does not offer X509Plain, and
/// TigerVNC's Xvnc (which does, with -SecurityTypes X509Plain -PlainUsers) checks the user name and password with PAM
/// (UnixPasswordValidator, service "vnc"), that is against the machine's own accounts, so a test would have to create
/// an operating system user with a known password. Everything after the SecurityResult is a minimal server: a 640x480
/// ServerInit and an empty FramebufferUpdate for every FramebufferUpdateRequest.
/// </summary>
public sealed class VeNCryptPlainServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2 _ca;
    private readonly string _username;
    private readonly string _password;
    private readonly List<Task> _sessions = [];
    private readonly Task _accepting;
    private int _accepted;
    private int _failedLogins;
    private int _updateRequests;
    private int _inputEvents;

    public VeNCryptPlainServer(VeNCryptCredentials credentials, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _certificate = X509Certificate2.CreateFromPemFile(
            Path.Combine(credentials.QemuDirectory, "server-cert.pem"),
            Path.Combine(credentials.QemuDirectory, "server-key.pem"));
        _ca = X509Certificate2.CreateFromPem(File.ReadAllText(credentials.CaFile));
        _username = username;
        _password = password;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public ConsoleTarget Target => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    public string Address => $"127.0.0.1:{Target.Port}";

    /// <summary>Sessions whose user name and password were right.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public int FailedLogins => Volatile.Read(ref _failedLogins);

    /// <summary>FramebufferUpdateRequests received after the handshake.</summary>
    public int UpdateRequests => Volatile.Read(ref _updateRequests);

    /// <summary>KeyEvents and PointerEvents received after the handshake: what a view-only session must not let through.</summary>
    public int InputEvents => Volatile.Read(ref _inputEvents);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll([_accepting, .. sessions]).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
        _certificate.Dispose();
        _ca.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            lock (_sessions)
            {
                _sessions.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var owned = socket;
        await using var network = new NetworkStream(socket, ownsSocket: false);
        var cancellationToken = _stop.Token;
        try
        {
            await network.WriteAsync("RFB 003.008\n"u8.ToArray(), cancellationToken);
            await ReadAsync(network, 12, cancellationToken);
            await network.WriteAsync(new byte[] { 1, 19 }, cancellationToken);
            if ((await ReadAsync(network, 1, cancellationToken))[0] != 19)
            {
                return;
            }

            await network.WriteAsync(new byte[] { 0, 2 }, cancellationToken);
            await ReadAsync(network, 2, cancellationToken);
            await network.WriteAsync(new byte[] { 0, 1, 0, 0, 1, 6 }, cancellationToken); // version ok, one subtype: 262
            if (BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(network, 4, cancellationToken)) != 262)
            {
                return;
            }

            await network.WriteAsync(new byte[] { 1 }, cancellationToken);
            await using var tls = new SslStream(network, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    ClientCertificateRequired = true,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 client && SignedByCa(client),
                },
                cancellationToken);

            var lengths = await ReadAsync(tls, 8, cancellationToken);
            var username = Encoding.UTF8.GetString(await ReadAsync(tls, (int)BinaryPrimitives.ReadUInt32BigEndian(lengths), cancellationToken));
            var password = Encoding.UTF8.GetString(await ReadAsync(tls, (int)BinaryPrimitives.ReadUInt32BigEndian(lengths.AsSpan(4)), cancellationToken));
            if (username != _username || password != _password)
            {
                Interlocked.Increment(ref _failedLogins);
                var reason = "Authentication failed"u8.ToArray();
                var refusal = new byte[8 + reason.Length];
                BinaryPrimitives.WriteUInt32BigEndian(refusal, 1);
                BinaryPrimitives.WriteUInt32BigEndian(refusal.AsSpan(4), (uint)reason.Length);
                reason.CopyTo(refusal, 8);
                await tls.WriteAsync(refusal, cancellationToken);
                return;
            }

            Interlocked.Increment(ref _accepted);
            await tls.WriteAsync(new byte[4], cancellationToken); // SecurityResult OK
            await ReadAsync(tls, 1, cancellationToken); // ClientInit
            await tls.WriteAsync(ServerInit(), cancellationToken);
            await AnswerUpdateRequestsAsync(tls, cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // The proxy hung up or refused the handshake, or the test is over.
        }
    }

    private bool SignedByCa(X509Certificate2 client)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(client);
    }

    private static byte[] ServerInit()
    {
        var name = "plain-vm"u8.ToArray();
        var init = new byte[24 + name.Length];
        BinaryPrimitives.WriteUInt16BigEndian(init, 640);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(2), 480);
        init[4] = 32; // bits per pixel
        init[5] = 24; // depth
        init[7] = 1; // true colour
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(8), 255);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(10), 255);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(12), 255);
        init[14] = 16;
        init[15] = 8;
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(20), (uint)name.Length);
        name.CopyTo(init, 24);
        return init;
    }

    /// <summary>Reads client messages; a FramebufferUpdateRequest (type 3, 10 bytes) gets an update with no rectangles.</summary>
    private async Task AnswerUpdateRequestsAsync(Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var type = (await ReadAsync(stream, 1, cancellationToken))[0];
            switch (type)
            {
                case 3:
                    await ReadAsync(stream, 9, cancellationToken);
                    Interlocked.Increment(ref _updateRequests);
                    await stream.WriteAsync(new byte[] { 0, 0, 0, 0 }, cancellationToken);
                    break;
                case 0:
                    await ReadAsync(stream, 19, cancellationToken);
                    break;
                case 2:
                    var count = BinaryPrimitives.ReadUInt16BigEndian((await ReadAsync(stream, 3, cancellationToken)).AsSpan(1));
                    await ReadAsync(stream, count * 4, cancellationToken);
                    break;
                case 4:
                    await ReadAsync(stream, 7, cancellationToken);
                    Interlocked.Increment(ref _inputEvents);
                    break;
                case 5:
                    await ReadAsync(stream, 5, cancellationToken);
                    Interlocked.Increment(ref _inputEvents);
                    break;
                default:
                    return;
            }
        }
    }

    private static async Task<byte[]> ReadAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
