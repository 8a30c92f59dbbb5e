using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Config;
using ConsoleOperator.Kube.Client.Http;
using ConsoleOperator.Kube.Client.Models.Meta;
using ConsoleOperator.Kube.Client.Resources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Kube.Client;

/// <summary>
/// The connection to one API server: one shared handler, bearer token handling (re-read and one retry after a 401),
/// per-call deadlines, Warning headers, and API errors turned into <see cref="Errors.KubernetesApiException"/>.
/// Typed verbs live in <see cref="ResourceClient{T}"/>, obtained from <see cref="Resource{T}"/>.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public KubernetesClient(
        KubernetesClientConfiguration configuration,
        KubernetesClientOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<KubernetesClient>? logger = null)
        : this(configuration, KubernetesHttpHandlerFactory.Create(configuration, options ?? new KubernetesClientOptions()), options, timeProvider, logger)
    {
    }

    /// <summary>With a caller-built handler (tests wrap the real one to observe traffic). The client owns and disposes it.</summary>
    public KubernetesClient(
        KubernetesClientConfiguration configuration,
        HttpMessageHandler handler,
        KubernetesClientOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<KubernetesClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(handler);
        Configuration = configuration;
        Options = options ?? new KubernetesClientOptions();
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = configuration.Server,
            // Deadlines are per call (cancellation), never global: a watch legitimately lasts minutes.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(Options.UserAgent);
    }

    public KubernetesClientConfiguration Configuration { get; }

    public KubernetesClientOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Typed verbs for one resource; <paramref name="namespace"/> null means cluster-scoped or all namespaces.</summary>
    public ResourceClient<T> Resource<T>(ResourceDescriptor descriptor, JsonTypeInfo<T> typeInfo, string? @namespace = null)
        where T : class, IKubernetesObject =>
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

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendWithAuthenticationAsync(KubernetesRequest request, CancellationToken cancellationToken)
    {
        var tokenSource = Configuration.Token;
        var token = tokenSource is null ? null : await tokenSource.GetTokenAsync(forceRefresh: false, cancellationToken);
        var response = await _http.SendAsync(Build(request, token), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || tokenSource is null)
        {
            return response;
        }

        // A bound token may have rotated under us: re-read it now and retry once, but only with a different token.
        var refreshed = await tokenSource.GetTokenAsync(forceRefresh: true, cancellationToken);
        if (string.Equals(refreshed, token, StringComparison.Ordinal))
        {
            return response;
        }

        _logger.LogInformation("Got 401 for {Method} {Path}; retrying once with the re-read bearer token", request.Method, PathOnly(request.PathAndQuery));
        response.Dispose();
        return await _http.SendAsync(Build(request, refreshed), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static HttpRequestMessage Build(KubernetesRequest request, string? token)
    {
        var message = new HttpRequestMessage(request.Method, request.PathAndQuery)
        {
            // HttpClient's default version applies only to its own helpers, not to a message built here: HTTP/2 where
            // ALPN offers it (multiplexed watches, keep-alive pings), HTTP/1.1 otherwise.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        message.Headers.Accept.ParseAdd(request.Accept);
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType ?? MediaTypes.Json);
        }

        return message;
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
