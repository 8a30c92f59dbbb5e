using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ConsoleOperator.Kube.Client.Config;

namespace ConsoleOperator.Kube.Client.Http;

/// <summary>
/// Builds the one <see cref="SocketsHttpHandler"/> a client shares for all calls. Connections are recycled every
/// few minutes (so DNS and API server endpoint changes are picked up) and pinged while idle or streaming, so a watch
/// on a dead HTTP/2 connection fails instead of hanging.
/// </summary>
public static class KubernetesHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubernetesClientConfiguration configuration, KubernetesClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = options.ConnectTimeout,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            // Every watch holds an HTTP/2 stream for minutes; one connection's stream limit must not queue new calls.
            EnableMultipleHttp2Connections = true,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };

        if (configuration.Server.Scheme == Uri.UriSchemeHttps)
        {
            var validator = new ServerCertificateValidator(configuration.CertificateAuthorities, configuration.ExpectedServerName);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => validator.Validate(certificate, chain, errors);
            handler.SslOptions.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            if (configuration.ClientCertificate is not null)
            {
                handler.SslOptions.ClientCertificates = new X509CertificateCollection { configuration.ClientCertificate };
            }
        }

        return handler;
    }
}
