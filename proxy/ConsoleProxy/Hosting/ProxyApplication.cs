using System.Net;
using ConsoleProxy.Audit;
using ConsoleProxy.Authorization;
using ConsoleProxy.Buffers;
using ConsoleProxy.Configuration;
using ConsoleProxy.Consoles;
using ConsoleProxy.Health;
using ConsoleProxy.Logging;
using ConsoleProxy.Metrics;
using ConsoleProxy.Origins;
using ConsoleProxy.Relay;
using ConsoleProxy.Reloading;
using ConsoleProxy.Screenshots;
using ConsoleProxy.Sessions;
using ConsoleProxy.Spice;
using ConsoleProxy.TargetSecurity;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.WebClient;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Hosting;

/// <summary>
/// The proxy process's composition: Kestrel, the console WebSocket endpoint, the noVNC pages, the
/// token store and the background services, built from one validated <see cref="ProxyOptions"/>
/// and a <see cref="TimeProvider"/> (tests pass a fake clock and port 0).
/// </summary>
public sealed partial class ProxyApplication : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RedisTokenStore _store;
    private int _disposed;

    private ProxyApplication(WebApplication app, RedisTokenStore store, Uri address)
    {
        _app = app;
        _store = store;
        Address = address;
    }

    /// <summary>The first address Kestrel listens on, with the real port when 0 was asked for.</summary>
    public Uri Address { get; }

    public SessionRegistry Sessions => _app.Services.GetRequiredService<SessionRegistry>();

    public ProxyMetrics Metrics => _app.Services.GetRequiredService<ProxyMetrics>();

    /// <summary>The re-check of live sessions after the revocation subscription came back.</summary>
    public RevocationRecheck RevocationRecheck => _app.Services.GetRequiredService<RevocationRecheck>();

    /// <summary>Completes once the revocation subscription is in place.</summary>
    public Task RevocationsSubscribed => _app.Services.GetRequiredService<RevocationListener>().Subscribed;

    public ITokenStore Store => _store;

    /// <summary>The fleet's published sessions in this proxy's token store.</summary>
    public SessionDirectory SessionDirectory => _app.Services.GetRequiredService<SessionDirectory>();

    /// <summary>Validates, builds and starts the proxy; throws <see cref="ArgumentException"/> listing every bad option.</summary>
    public static async Task<ProxyApplication> StartAsync(ProxyOptions options, TimeProvider timeProvider, Action<ILoggingBuilder>? configureLogging, CancellationToken cancellationToken)
    {
        var errors = ProxyOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureLogging(builder.Logging, configureLogging);

        var storeOptions = options.ToTokenStoreOptions();
        RedisClientThreads.Enable();
        var store = await RedisTokenStore.ConnectAsync(storeOptions, timeProvider, cancellationToken);
        try
        {
            ConfigureKestrel(builder.WebHost, options);
            var served = options.ParseServedKinds();
            var services = builder.Services;
            services.AddSingleton(options);
            services.AddSingleton(timeProvider);
            services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
            var registry = new SessionRegistry(options.MaxSessions, timeProvider);
            var metrics = new ProxyMetrics(registry, options.Name);
            var measuredStore = new MeasuredTokenStore(store, metrics, timeProvider);
            services.AddSingleton(new RedisFailoverWatcher(store.Connection, metrics));
            services.AddSingleton<ITokenStore>(measuredStore);
            services.AddSingleton(store);
            services.AddSingleton(registry);
            services.AddSingleton(metrics);
            services.AddSingleton<SessionAuditLog>();
            services.AddSingleton<ReadinessProbe>();
            services.AddSingleton(new OriginPolicy(options.AllowedOrigins.Entries, options.StrictOrigin));
            var spiceChannels = new SpiceChannelWindow(timeProvider);
            services.AddSingleton(spiceChannels);
            services.AddSingleton(new SessionAuthorizer(measuredStore, served, spiceChannels, timeProvider, options.DialTimeout));
            services.AddSingleton(new TargetDialer(timeProvider, options.DialTimeout));
            services.AddSingleton(new ConsoleRelay(timeProvider, metrics));
            var targetSecurity = options.ToTargetSecurityOptions();
            services.AddSingleton(provider => new RfbSecurityNegotiator(
                targetSecurity,
                new TargetTlsClient(
                    targetSecurity.CaFile is { } caFile ? new ReloadingCaBundle(caFile, timeProvider) : null,
                    targetSecurity.CertificateFile is { } clientCertificate && targetSecurity.KeyFile is { } clientKey
                    ? ReloadingCertificate.Load(clientCertificate, clientKey, timeProvider, provider.GetRequiredService<ILogger<ReloadingCertificate>>())
                    : null),
                new TokenVncPasswords(targetSecurity.VncPasswordKeyFile is { } keyring ? new ReloadingVncPasswordKeyring(keyring, timeProvider) : null),
                timeProvider,
                options.DialTimeout * 2));
            services.AddSingleton<RevocationListener>();
            services.AddHostedService(provider => provider.GetRequiredService<RevocationListener>());
            services.AddSingleton<RevocationRecheck>();
            services.AddHostedService(provider => provider.GetRequiredService<RevocationRecheck>());
            services.AddHostedService<SessionDrainer>();
            services.AddSingleton(new SessionDirectory(store, timeProvider, storeOptions.OperationTimeout));
            services.AddSingleton<SessionAdmission>();
            services.AddSingleton<SessionPublisher>();
            services.AddHostedService(provider => provider.GetRequiredService<SessionPublisher>());
            services.AddHostedService<TakeoverListener>();
            services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(10));
            if (options.CertificatePath is { } certificatePath && options.KeyPath is { } keyPath)
            {
                services.AddSingleton(provider => ReloadingCertificate.Load(certificatePath, keyPath, timeProvider, provider.GetRequiredService<ILogger<ReloadingCertificate>>()));
            }

            var app = builder.Build();
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ConsoleProxy");
            if (served.TryGetPolicy(Tokens.Kinds.ConsoleKind.Vnc, out var vncPolicy) && vncPolicy.IsUnrestricted)
            {
                LogUnrestricted(logger);
            }

            if (served.TryGetPolicy(Tokens.Kinds.ConsoleKind.Serial, out var serialPolicy) && serialPolicy.IsUnrestricted)
            {
                LogSerialUnrestricted(logger);
            }

            if (served.TryGetPolicy(Tokens.Kinds.ConsoleKind.Spice, out var spicePolicy) && spicePolicy.IsUnrestricted)
            {
                LogSpiceUnrestricted(logger);
            }

            // Probes and scrapes first: no token, no session, whatever headers they carry.
            HealthEndpoints.Map(app);
            MetricsEndpoint.Map(app, metrics);
            ScreenshotEndpoint.Map(app);
            app.UseWebSockets();
            app.UseMiddleware<ConsoleWebSocketMiddleware>();
            NoVncWebClient.Use(app, options.WebRoot, FramingPolicy.TryParse(options.FrameAncestors, out var framing, out _) ? framing : FramingPolicy.SameOrigin, logger);

            try
            {
                // Load the certificate now, so a bad one fails the start with its own message, not the first handshake.
                _ = app.Services.GetService<ReloadingCertificate>();
                _ = app.Services.GetRequiredService<RfbSecurityNegotiator>();
                await app.StartAsync(cancellationToken);
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            LogListening(logger, address, storeOptions.ToString());
            return new ProxyApplication(app, store, address);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs until the host is told to stop (SIGTERM, Ctrl-C), draining sessions on the way out.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops as on SIGTERM: drains sessions (up to --drain-timeout), then stops Kestrel.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    private static void ConfigureLogging(ILoggingBuilder logging, Action<ILoggingBuilder>? configure)
    {
        logging.ClearProviders();
        SynchronousConsoleLoggerProvider.AddJsonConsole(logging, console =>
        {
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });

        // ASP.NET Core's request logging prints full URLs, and console URLs carry the token: keep
        // it to warnings (which never include the query); our own lines say what happened instead.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        // Hosting's own category writes only request start and finish lines (Information, off above) and a startup
        // failure, which the CLI prints itself. Left on at any level, it makes ASP.NET Core start an Activity and a log
        // scope for every request, which a console session keeps for its whole life (about 0.5 KiB each) and nothing
        // here prints: our JSON lines have no scopes.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        configure?.Invoke(logging);
    }

    private static void ConfigureKestrel(IWebHostBuilder webHost, ProxyOptions options)
    {
        webHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = InlineSocketCompletions.Enabled);
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Bad clients cost little and are cut early: oversized headers get 431 (Kestrel's
            // 32 KiB, stated here because the hardening tests rely on it), slow ones time out.
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);

            // Room for a few relay chunks in flight towards the browser, so the relay reads the next
            // one while Kestrel still sends the last (the 64 KiB default stalls it on every chunk).
            // Only a slow browser ever fills it; idle sessions hold none of it.
            kestrel.Limits.MaxResponseBufferSize = 512 * 1024;
            var address = string.Equals(options.Host, "localhost", StringComparison.OrdinalIgnoreCase)
                ? IPAddress.Loopback
                : IPAddress.Parse(options.Host);
            kestrel.Listen(address, options.Port, listen =>
            {
                if (options.CertificatePath is not null && options.KeyPath is not null)
                {
                    // Asked on every handshake, so a renewed certificate serves new connections without a restart.
                    var certificate = listen.ApplicationServices.GetRequiredService<ReloadingCertificate>();
                    listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => certificate.Current);
                }
            });
        });
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "No --allowed-target given: sessions may connect to any host and port a token names. The operator always sets it; set it here too unless this is a lab")]
    private static partial void LogUnrestricted(ILogger logger);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "No --serial-allowed-target given: serial sessions may connect to any host and port a serial token names. Set it unless this is a lab")]
    private static partial void LogSerialUnrestricted(ILogger logger);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "No --spice-allowed-target given: SPICE sessions may connect to any host and port a SPICE token names. Set it unless this is a lab")]
    private static partial void LogSpiceUnrestricted(ILogger logger);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "ConsoleProxy listening on {Address}, token store {Store}")]
    private static partial void LogListening(ILogger logger, Uri address, string store);
}
