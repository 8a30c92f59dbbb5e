using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Configuration;
using ConsoleOperator.Kube.Client.Http;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Client;

/// <summary>
/// The connection to one API server, on the KubernetesClient library: its configuration, its handler (TLS, client
/// certificates) and its credentials (tokens, exec plugins). Added here: a token file re-read and one retry after a
/// 401, per-call deadlines, Warning headers, and API errors turned into <see cref="Errors.KubernetesApiException"/>.
/// Typed verbs live in <see cref="ResourceClient{T}"/>, obtained from <see cref="Resource{T}"/>.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private readonly k8s.Kubernetes _kubernetes;
    private readonly ILogger _logger;

    /// <param name="handlers">Placed in front of the library's handler (tests wrap it to observe traffic).</param>
    public KubernetesClient(
        KubernetesClientConfiguration configuration,
        KubernetesClientOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<KubernetesClient>? logger = null,
        params DelegatingHandler[] handlers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        Options = options ?? new KubernetesClientOptions();
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var setup = configuration.FirstMessageHandlerSetup;
        var tuning = Options;
        SocketsHttpHandler? libraryHandler = null;
        configuration.FirstMessageHandlerSetup = handler =>
        {
            setup?.Invoke(handler);
            Tune(handler, tuning);
            libraryHandler = handler;
        };
        try
        {
            _kubernetes = new k8s.Kubernetes(configuration, handlers);
        }
        finally
        {
            // The hook is for this construction only; the caller's configuration is left as it was given.
            configuration.FirstMessageHandlerSetup = setup;
        }

        Server = _kubernetes.BaseUri;
        RequireServerName(
            libraryHandler ?? throw new InvalidOperationException("the KubernetesClient library did not pass its handler to FirstMessageHandlerSetup, so its TLS name check cannot be added"),
            configuration.TlsServerName);
    }

    public KubernetesClientConfiguration Configuration { get; }

    public Uri Server { get; }

    public KubernetesClientOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Typed verbs for one resource; <paramref name="namespace"/> null means cluster-scoped or all namespaces.</summary>
    public ResourceClient<T> Resource<T>(ResourceDescriptor descriptor, JsonTypeInfo<T> typeInfo, string? @namespace = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(this, descriptor, typeInfo, @namespace);

    /// <summary>
    /// Sends a request and returns the successful response, with its body not yet read (callers stream it).
    /// Non-2xx answers become a <see cref="Errors.KubernetesApiException"/>; a missed deadline a <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(KubernetesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = new CancellationTokenSource(Options.RequestTimeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var response = await SendWithAuthenticationAsync(request, linked.Token);
            try
            {
                ReportWarnings(request, response);
                if (!response.IsSuccessStatusCode)
                {
                    throw await ApiErrorReader.ReadAsync(response, TimeProvider, linked.Token);
                }

                if (!request.IsStreaming)
                {
                    // Buffer now, under the deadline: reading the body later must not hang past it.
                    await response.Content.LoadIntoBufferAsync(linked.Token);
                }

                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{request.Method} {PathOnly(request.PathAndQuery)} got no answer within {Options.RequestTimeout.TotalSeconds:0.###} s");
        }
    }

    public void Dispose() => _kubernetes.Dispose();

    private async Task<HttpResponseMessage> SendWithAuthenticationAsync(KubernetesRequest request, CancellationToken cancellationToken)
    {
        var first = await AuthenticatedAsync(request, cancellationToken);
        var sentAuthorization = first.Headers.Authorization?.ToString();
        var response = await _kubernetes.HttpClient.SendAsync(first, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || Configuration.TokenProvider is not FileTokenProvider tokenFile)
        {
            return response;
        }

        // A bound token may have rotated under us: re-read it now and retry once, but only with a different token.
        var refreshed = await tokenFile.GetTokenAsync(forceRefresh: true, cancellationToken);
        if (string.Equals("Bearer " + refreshed, sentAuthorization, StringComparison.Ordinal))
        {
            return response;
        }

        _logger.LogInformation("Got 401 for {Method} {Path}; retrying once with the re-read bearer token", request.Method, PathOnly(request.PathAndQuery));
        response.Dispose();
        return await _kubernetes.HttpClient.SendAsync(await AuthenticatedAsync(request, cancellationToken), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>A fresh message each time (one cannot be sent twice), signed by the library's credentials.</summary>
    private async Task<HttpRequestMessage> AuthenticatedAsync(KubernetesRequest request, CancellationToken cancellationToken)
    {
        var message = Build(request, Server, Options.UserAgent);
        if (_kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(message, cancellationToken);
        }

        return message;
    }

    private static HttpRequestMessage Build(KubernetesRequest request, Uri server, string userAgent)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(server, request.PathAndQuery))
        {
            // HTTP/2 where ALPN offers it (multiplexed watches, keep-alive pings), HTTP/1.1 otherwise.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        message.Headers.Accept.ParseAdd(request.Accept);
        message.Headers.UserAgent.ParseAdd(userAgent);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType ?? MediaTypes.Json);
        }

        return message;
    }

    /// <summary>
    /// The library's handler, tuned for an operator before its first use: connections recycled every few minutes (DNS
    /// and endpoint changes are picked up) and pinged while idle or streaming, so a watch on a dead HTTP/2 connection
    /// fails instead of hanging; several HTTP/2 connections, since every watch holds a stream for minutes.
    /// </summary>
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

    private static void Tune(SocketsHttpHandler handler, KubernetesClientOptions options)
    {
        handler.PooledConnectionLifetime = options.PooledConnectionLifetime;
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90);
        handler.ConnectTimeout = options.ConnectTimeout;
        handler.KeepAlivePingDelay = options.KeepAlivePingDelay;
        handler.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
        handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always;
        handler.EnableMultipleHttp2Connections = true;
        handler.AllowAutoRedirect = false;
        handler.UseCookies = false;
        handler.UseProxy = false;
    }

    private void ReportWarnings(KubernetesRequest request, HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Warning", out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            var warning = KubernetesWarning.Parse(value);
            _logger.LogWarning("The API server warned on {Method} {Path}: {Warning}", request.Method, PathOnly(request.PathAndQuery), warning.Text);
            Options.OnWarning?.Invoke(warning);
        }
    }

    /// <summary>Logs never carry the query: it may hold continue tokens and selectors nobody needs in a log line.</summary>
    private static string PathOnly(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? pathAndQuery : pathAndQuery[..question];
    }
}
