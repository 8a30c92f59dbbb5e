using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TestKit.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TestKit.Replay;

/// <summary>
/// A Kestrel server on 127.0.0.1 that answers queued responses in order (recorded exchanges, or scripted watch
/// streams that end cleanly, stall or abort) and records every request it got, so a test drives the client's real
/// HTTP path and then compares what was sent with what the real API server was sent.
/// </summary>
public sealed class ReplayServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReplayResponse> _responses = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly WebApplication _app;

    private ReplayServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; private set; }

    public IReadOnlyList<ReceivedRequest> Received => _received.ToList();

    public static async Task<ReplayServer> StartAsync(ReplayServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ReplayServerOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (options.ServerCertificate is null)
                {
                    listen.Protocols = HttpProtocols.Http1;
                    return;
                }

                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = options.ServerCertificate;
                    if (options.ClientCertificateAuthorities is { } authorities)
                    {
                        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                        https.ClientCertificateValidation = (certificate, _, _) => ChainsTo(certificate, authorities);
                    }
                });
            });
        });

        var app = builder.Build();
        var scheme = options.ServerCertificate is null ? "http" : "https";
        ReplayServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var port = new Uri(address).Port;
        server = new ReplayServer(app, new Uri($"{scheme}://127.0.0.1:{port}"));
        return server;
    }

    public void Enqueue(ReplayResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        _responses.Enqueue(response);
    }

    public void Enqueue(RecordedExchange exchange) => Enqueue(ReplayResponse.From(exchange));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        return chain.Build(certificate);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = new List<RecordedHeader>();
        foreach (var (name, values) in context.Request.Headers)
        {
            headers.AddRange(values.Select(value => new RecordedHeader(name, value ?? string.Empty)));
        }

        var rawQuery = context.Request.QueryString.Value ?? string.Empty;
        _received.Enqueue(new ReceivedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            rawQuery,
            ReceivedRequest.ParseQuery(rawQuery),
            headers,
            body.ToArray(),
            context.Request.Protocol,
            context.Connection.ClientCertificate?.Subject));

        if (!_responses.TryDequeue(out var response))
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"replay server: no response queued for {context.Request.Method} {context.Request.Path}{rawQuery}", context.RequestAborted);
            return;
        }

        context.Response.StatusCode = response.Status;
        foreach (var header in response.Headers)
        {
            context.Response.Headers.Append(header.Name, header.Value);
        }

        if (response.WatchLines is null)
        {
            if (response.Body is { Length: > 0 } bytes)
            {
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            }

            return;
        }

        await StreamAsync(context, response);
    }

    private async Task StreamAsync(HttpContext context, ReplayResponse response)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await context.Response.StartAsync(linked.Token);
            await context.Response.Body.FlushAsync(linked.Token);
            foreach (var line in response.WatchLines!)
            {
                if (response.DelayBetweenLines > TimeSpan.Zero)
                {
                    await Task.Delay(response.DelayBetweenLines, linked.Token);
                }

                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), linked.Token);
                await context.Response.Body.FlushAsync(linked.Token);
            }

            switch (response.Ending)
            {
                case WatchEnding.Stall:
                    await Task.Delay(Timeout.Infinite, linked.Token);
                    break;
                case WatchEnding.Abort:
                    // Let the flushed lines leave the socket first: a reset discards unsent bytes, and the test is
                    // about a connection that breaks after some events, not before the headers.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), linked.Token);
                    context.Abort();
                    break;
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The client went away (or the server is stopping): nothing left to send.
        }
    }
}
