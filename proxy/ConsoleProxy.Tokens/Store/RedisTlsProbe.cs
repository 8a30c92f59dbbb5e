using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// Asks a TLS Redis directly whether it wants a client certificate, after the client library failed to connect
/// without one. Under TLS 1.3 the server asks for it only after the handshake: it sends an alert and closes when the
/// first command arrives, and whether the client library's connect log catches that alert or only sees the connection
/// reset depends on timing. This probe does the same thing on purpose (handshake, PING, read) and reads the outcome:
/// a handshake refused or a connection closed at the first command means "certificate required"; an answer means not.
/// </summary>
internal static class RedisTlsProbe
{
    public static async Task<bool> WantsClientCertificateAsync(TokenStoreOptions options, EndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var authority = options.CaFile is { } caFile ? RedisConfiguration.LoadCertificateAuthority(caFile)
            : options.TlsMaterial?.CaPem is { } caPem ? RedisConfiguration.LoadCertificateAuthorityPem(caPem, options.TlsMaterial.Source)
            : null;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var handshakeDone = false;
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            var host = endPoint switch
            {
                DnsEndPoint dns => dns.Host,
                IPEndPoint ip => ip.Address.ToString(),
                _ => string.Empty,
            };
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                        authority is null ? errors == SslPolicyErrors.None : RedisConfiguration.IsTrusted(certificate, errors, authority),
                }, deadline.Token);
            }
            catch (AuthenticationException exception)
            {
                // TLS 1.2 asks during the handshake; an untrusted server certificate is another error, found elsewhere.
                return exception.GetBaseException().Message.Contains("certificate", StringComparison.OrdinalIgnoreCase)
                    && !exception.Message.Contains("remote certificate", StringComparison.OrdinalIgnoreCase);
            }

            handshakeDone = true;
            await tls.WriteAsync("PING\r\n"u8.ToArray(), deadline.Token);
            var answer = new byte[64];
            var read = await tls.ReadAsync(answer, deadline.Token);
            return read == 0 || Encoding.ASCII.GetString(answer, 0, read) is not ['+' or '-', ..];
        }
        catch (IOException)
        {
            // After the handshake: the alert, or the reset that follows it, at the first command. Before it: a server
            // that does not speak TLS at all, which is another error.
            return handshakeDone;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            // Unreachable or silent: nothing to say about certificates.
            return false;
        }
        finally
        {
            foreach (var certificate in authority ?? [])
            {
                certificate.Dispose();
            }
        }
    }
}
