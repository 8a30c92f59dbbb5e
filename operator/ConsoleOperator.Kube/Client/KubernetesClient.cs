using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Transport;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Client;

/// <summary>
/// The connection to one API server, on the KubernetesClient library: its configuration, its handler (TLS, client
/// certificates) and its credentials (tokens, the service account's token file re-read each minute, exec plugins).
/// Added here: per-call deadlines, Warning headers, API errors turned into <see cref="Errors.KubernetesApiException"/>,
/// and a refusal of insecure-skip-tls-verify.
/// Typed verbs live in <see cref="ResourceClient{T}"/>, obtained from <see cref="Resource{T}"/>; they run on the library's
/// generic operations (<see cref="Api"/>).
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private readonly k8s.Kubernetes _kubernetes;

    /// <param name="handlers">Placed in front of the library's handler (tests wrap it to observe traffic).</param>
    public KubernetesClient(
        KubernetesClientConfiguration configuration,
        KubernetesClientOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<KubernetesClient>? logger = null,
        params DelegatingHandler[] handlers)
    {
        RequireVerifiedTls(configuration);
        TimeProvider = timeProvider ?? TimeProvider.System;
        var setup = configuration.FirstMessageHandlerSetup;
        SocketsHttpHandler? libraryHandler = null;
        configuration.FirstMessageHandlerSetup = handler =>
        {
            setup?.Invoke(handler);
            Tune(handler);
            libraryHandler = handler;
        };
        try
        {
            // Ours first (outermost), so the caller's handlers see every attempt, the retry after a 401 included.
            var transport = new KubernetesTransportHandler(options ?? new KubernetesClientOptions(), TimeProvider, logger ?? (ILogger)NullLogger.Instance);
            _kubernetes = new k8s.Kubernetes(configuration, [transport, .. handlers])
            {
                // The transport handler keeps the deadline (KubernetesClientOptions.RequestTimeout) and says TimeoutException when it passes.
                HttpClientTimeout = Timeout.InfiniteTimeSpan,
            };
        }
        finally
        {
            // The hook is for this construction only; the caller's configuration is left as it was given.
            configuration.FirstMessageHandlerSetup = setup;
        }

        RequireServerName(
            libraryHandler ?? throw new InvalidOperationException("the KubernetesClient library did not pass its handler to FirstMessageHandlerSetup, so its TLS name check cannot be added"),
            configuration.TlsServerName);
    }

    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// The library's client, with <see cref="KubernetesTransportHandler"/> in its handler chain: its typed and generic
    /// operations get our deadline, 401 retry, Warning reporting and <see cref="Errors.KubernetesApiException"/>.
    /// </summary>
    public k8s.IKubernetes Api => _kubernetes;

    /// <summary>Typed verbs for one resource; <paramref name="namespace"/> null means cluster-scoped or all namespaces.</summary>
    public ResourceClient<T> Resource<T>(ResourceDescriptor descriptor, JsonTypeInfo<T> typeInfo, string? @namespace = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(this, descriptor, typeInfo, @namespace);

    /// <summary>
    /// Typed verbs addressed KubeOps-style: where the resource lives comes from <typeparamref name="T"/>'s
    /// <see cref="KubernetesEntityAttribute"/>, so a caller names only the type and a namespace (none: cluster-scoped).
    /// </summary>
    public ResourceClient<T> Resource<T>(string? @namespace = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(this, ResourceDescriptor.ForEntity<T>(), EntityJson.TypeInfo<T>(), @namespace);

    public void Dispose() => _kubernetes.Dispose();

    /// <summary>The configuration as given, unless it skips TLS verification: the library would then send credentials to whoever answers.</summary>
    public static KubernetesClientConfiguration RequireVerifiedTls(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.SkipTlsVerify
            ? throw new InvalidOperationException(
                $"context '{configuration.CurrentContext}' sets insecure-skip-tls-verify; this operator always verifies TLS. Give it certificate-authority(-data) instead")
            : configuration;
    }

    /// <summary>
    /// The library, given a CA, accepts any certificate that chains to it whatever name it carries; here the name is
    /// checked too, as client-go and kubectl do: the server URL's host, or tls-server-name when the kubeconfig sets it
    /// (the handler would check the URL's host only).
    /// </summary>
    private static void RequireServerName(SocketsHttpHandler handler, string? tlsServerName)
    {
        var libraryCheck = handler.SslOptions.RemoteCertificateValidationCallback;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            var nameMatches = string.IsNullOrEmpty(tlsServerName)
                ? (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                : certificate is X509Certificate2 served && served.MatchesHostname(tlsServerName);
            var otherErrors = errors & ~SslPolicyErrors.RemoteCertificateNameMismatch;
            return nameMatches && (libraryCheck is null ? otherErrors == SslPolicyErrors.None : libraryCheck(sender, certificate, chain, otherErrors));
        };
    }

    /// <summary>
    /// The library's handler, tuned for an operator before its first use: connections recycled every few minutes (DNS
    /// and endpoint changes are picked up) and pinged while idle or streaming, so a watch on a dead HTTP/2 connection
    /// fails instead of hanging; several HTTP/2 connections, since every watch holds a stream for minutes.
    /// </summary>
    private static void Tune(SocketsHttpHandler handler)
    {
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90);
        handler.ConnectTimeout = TimeSpan.FromSeconds(10);
        handler.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
        handler.KeepAlivePingTimeout = TimeSpan.FromSeconds(15);
        handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always;
        handler.EnableMultipleHttp2Connections = true;
        handler.AllowAutoRedirect = false;
        handler.UseCookies = false;
        handler.UseProxy = false;
    }
}
