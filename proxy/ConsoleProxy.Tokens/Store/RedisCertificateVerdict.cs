using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// Says why a TLS Redis's certificate was not trusted ("not signed by the CA given", "does not name the host"), which
/// the client library reports only as "rejected by the validation callback". Does a handshake of its own with the
/// same trust rules as <see cref="RedisConfiguration.IsTrusted"/> and reads the chain and name errors from it.
/// </summary>
internal static class RedisCertificateVerdict
{
    /// <summary>Why the server's certificate is refused, or null when it would be trusted or no handshake happened.</summary>
    public static async Task<string?> ExplainAsync(TokenStoreOptions options, EndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var authority = options.CaFile is { } caFile ? RedisConfiguration.LoadCertificateAuthority(caFile)
            : options.TlsMaterial?.CaPem is { } caPem ? RedisConfiguration.LoadCertificateAuthorityPem(caPem, options.TlsMaterial.Source)
            : null;
        var host = endPoint switch
        {
            DnsEndPoint dns => dns.Host,
            IPEndPoint ip => ip.Address.ToString(),
            _ => string.Empty,
        };
        string? verdict = null;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    verdict = Judge(certificate, errors, authority, host);
                    return verdict is null;
                },
            }, deadline.Token);
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            // Refused by our callback (the verdict is set), or a failure that says nothing about the certificate.
        }
        finally
        {
            foreach (var certificate in authority ?? [])
            {
                certificate.Dispose();
            }
        }

        return verdict;
    }

    private static string? Judge(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? authority, string host)
    {
        if (certificate is null)
        {
            return "the server sent no certificate";
        }

        using var server = new X509Certificate2(certificate);
        var what = $"the server's certificate ({server.Subject}, issued by {server.Issuer}, valid {server.NotBefore:yyyy-MM-dd} to {server.NotAfter:yyyy-MM-dd})";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return $"{what} does not name the host connected to ({host})";
        }

        if (authority is null)
        {
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 ? $"{what} is not signed by a CA this system trusts" : null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(server))
        {
            return null;
        }

        var expired = chain.ChainStatus.Any(status => status.Status == X509ChainStatusFlags.NotTimeValid);
        return expired
            ? $"{what} has expired or is not valid yet"
            : $"{what} is not signed by the CA given ({string.Join(", ", authority.Select(ca => ca.Subject))})";
    }
}
