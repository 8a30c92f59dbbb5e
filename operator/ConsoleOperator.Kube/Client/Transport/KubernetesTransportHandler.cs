using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ConsoleOperator.Kube.Client.Errors;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Client.Transport;

/// <summary>
/// What every call to the API server gets, placed in the KubernetesClient library's handler chain so the library's own
/// typed operations get it too: a per-call deadline (a <see cref="TimeoutException"/>, never a bare cancellation),
/// Warning headers logged and reported, and a non-2xx answer turned into a <see cref="KubernetesApiException"/>
/// carrying the server's Status. This is the one place that translation happens: the library never sees a failed
/// response, so it never throws its HttpOperationException (whose body is a string and whose Retry-After is lost).
/// </summary>
public sealed partial class KubernetesTransportHandler(KubernetesClientOptions options, TimeProvider timeProvider, ILogger logger) : DelegatingHandler
{
    private const string JsonMediaType = "application/json";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Prepare(request, options.UserAgent);
        // A watch has no overall deadline, only one for its response headers; its silence is the informer's idle timeout.
        var streaming = IsWatch(request.RequestUri);
        using var deadline = new CancellationTokenSource(options.RequestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var response = await base.SendAsync(request, linked.Token);
            try
            {
                ReportWarnings(request, response);
                if (!response.IsSuccessStatusCode)
                {
                    throw await KubernetesApiException.ReadAsync(response, timeProvider, linked.Token);
                }

                if (!streaming)
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
                $"{request.Method} {request.RequestUri?.AbsolutePath} got no answer within {options.RequestTimeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>
    /// JSON in, JSON out; our User-Agent (the server derives the default field manager from it); and the API server's
    /// media types without the charset the library appends, as kubectl sends them (the recorded requests have none).
    /// </summary>
    private static void Prepare(HttpRequestMessage request, string userAgent)
    {
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.ParseAdd(JsonMediaType);
        }

        request.Headers.UserAgent.Clear();
        request.Headers.UserAgent.ParseAdd(userAgent);
        // HTTP/2 where ALPN offers it (multiplexed watches, keep-alive pings), HTTP/1.1 otherwise.
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType.MediaType ?? JsonMediaType);
        }
    }

    private void ReportWarnings(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Warning", out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            var warning = WarningText(value);
            // The path only: the query may hold continue tokens and selectors nobody needs in a log line.
            logger.LogWarning("The API server warned on {Method} {Path}: {Warning}", request.Method, request.RequestUri?.AbsolutePath, warning);
            options.OnWarning?.Invoke(warning);
        }
    }

    /// <summary>
    /// The text of one <c>Warning</c> header, <c>299 - "unknown field \"spec.color\""</c>: the server accepted the
    /// request but dropped or deprecated something (fixture 05). One header line per warning (RFC 7234): the quoted
    /// text loses its quotes and escapes, an optional warn-date after it is dropped; any other value is kept whole.
    /// </summary>
    internal static string WarningText(string value)
    {
        var match = WarningValue().Match(value.Trim());
        return match.Success ? Escape().Replace(match.Groups["text"].Value, "$1") : value.Trim();
    }

    private static bool IsWatch(Uri? uri) =>
        uri is not null && uri.Query.TrimStart('?').Split('&').Any(pair => pair is "watch=1" or "watch=true");

    [GeneratedRegex("""^[0-9]+ \S+ "(?<text>(?:[^"\\]|\\.)*)""", RegexOptions.Singleline)]
    private static partial Regex WarningValue();

    [GeneratedRegex(@"\\(.)", RegexOptions.Singleline)]
    private static partial Regex Escape();
}
