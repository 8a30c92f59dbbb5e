using System.Security.Authentication;
using StackExchange.Redis;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The one place that tells "Redis refused these options" from "Redis is away", and says which option: the proxy's
/// start-up (exit 1 with one line) and the operator's ConsoleProxy status (a reason per refusal) both ask here, so the
/// two never disagree about what a failure means.
/// </summary>
internal static class RedisRefusals
{
    private const string CertificateRequired = "the server closed the TLS connection at the first command: certificate required";

    /// <summary>
    /// The refusal behind a failed strict connect, or null when nothing says Redis refused (it is down, slow, or the
    /// sentinels do know the master and it is merely unreachable): then the caller treats it as an outage.
    /// </summary>
    /// <param name="connectLog">The client's connect log: the only place a TLS alert sent after the handshake shows.</param>
    public static async Task<TokenStoreRefusedException?> ClassifyAsync(
        TokenStoreOptions options,
        ConfigurationOptions configuration,
        RedisConnectionException exception,
        string connectLog,
        CancellationToken cancellationToken)
    {
        if (FindTlsAlert(connectLog) is { } alert)
        {
            return TlsAlert(options, alert, exception);
        }

        if (Find<AuthenticationException>(exception) is { } tls)
        {
            var detail = await RedisCertificateVerdict.ExplainAsync(options, configuration.EndPoints[0], options.ConnectTimeout, cancellationToken)
                ?? OneLine(tls.GetBaseException().Message);
            return new TokenStoreRefusedException(
                TokenStoreRefusal.TlsVerificationFailed,
                detail,
                $"the token store {options} refused the connection: {detail}; check --redis-ca (the server's certificate must chain to it and name the host connected to) and --redis-client-cert/--redis-client-key",
                exception);
        }

        if (IsAuthenticationFailure(exception))
        {
            // A server that wants a client certificate resets the connection at the first command, AUTH; when the TLS
            // alert before the reset was lost, the client calls that an authentication failure. Only the server's own
            // answer (WRONGPASS, NOAUTH) says the password is wrong, so without one, ask the server about certificates.
            if (!HasServerAuthenticationError(exception) && await WantsClientCertificateAsync(options, configuration, cancellationToken))
            {
                return TlsAlert(options, CertificateRequired, exception);
            }

            var detail = OneLine(ServerError(exception.Message));
            return new TokenStoreRefusedException(
                TokenStoreRefusal.AuthenticationFailed,
                detail,
                $"the token store {options} refused the connection: {detail}; check --redis-user and --redis-password",
                exception);
        }

        if (options.Sentinel is { } sentinel)
        {
            var known = await SentinelMasterNamesAsync(configuration, options.ConnectTimeout, cancellationToken);
            var unknown = known is not null
                ? !known.Contains(sentinel.MasterName, StringComparer.Ordinal)
                : exception.Message.Contains("No primary found for service", StringComparison.Ordinal)
                    || exception.Message.Contains("Sentinel: Failed connecting to configured primary", StringComparison.Ordinal);
            if (unknown)
            {
                var names = known is null ? "the sentinels did not list theirs"
                    : known.Count == 0 ? "the sentinels monitor none"
                    : $"the sentinels monitor: {string.Join(", ", known)}";
                var detail = $"no primary named '{sentinel.MasterName}' ({names})";
                return new TokenStoreRefusedException(
                    TokenStoreRefusal.SentinelMasterUnknown,
                    detail,
                    $"the token store {options} refused the connection: {detail}; check --redis-master-name ('{sentinel.MasterName}' must be a name the sentinels monitor)",
                    exception)
                {
                    KnownMasterNames = known ?? [],
                };
            }

            return null;
        }

        // The alert may have been lost to the reset that follows it: ask the server directly.
        return await WantsClientCertificateAsync(options, configuration, cancellationToken) ? TlsAlert(options, CertificateRequired, exception) : null;
    }

    private static async Task<bool> WantsClientCertificateAsync(TokenStoreOptions options, ConfigurationOptions configuration, CancellationToken cancellationToken) =>
        options.UsesTls && !options.HasClientCertificate
        && await RedisTlsProbe.WantsClientCertificateAsync(options, configuration.EndPoints[0], options.ConnectTimeout, cancellationToken);

    public static TokenStoreRefusedException ClusterMode(TokenStoreOptions options) =>
        new(
            TokenStoreRefusal.ClusterModeUnsupported,
            "the server runs in cluster mode",
            $"the token store at {options.Location} is a Redis Cluster; cluster mode is not supported (use a single Redis, or Sentinel with --redis-sentinel and --redis-master-name)");

    /// <summary>
    /// The TLS alert the server refused us with, from the client's connect log ("tlsv13 alert certificate
    /// required", "tlsv13 alert unknown ca"), or null when there is none. OpenSSL names alerts the peer sent
    /// as "... alert ..." after "SSL routines::"; Redis sends one when it wants a client certificate it trusts.
    /// </summary>
    public static string? FindTlsAlert(string connectLog)
    {
        foreach (var line in connectLog.Split('\n'))
        {
            var routines = line.IndexOf("SSL routines::", StringComparison.Ordinal);
            if (routines >= 0 && line.IndexOf(" alert ", routines, StringComparison.Ordinal) > 0)
            {
                return line[(routines + "SSL routines::".Length)..].Trim();
            }
        }

        return null;
    }

    private static TokenStoreRefusedException TlsAlert(TokenStoreOptions options, string alert, Exception exception)
    {
        var detail = options.HasClientCertificate
            ? $"the server refused our client certificate ({alert})"
            : $"the server asks for a client certificate and none was given ({alert})";
        var hint = options.HasClientCertificate
            ? $"check that --redis-client-cert '{options.ClientCertificateFile}' is signed by a CA the server trusts (tls-ca-cert-file) and --redis-client-key is its key"
            : "give one its CA signed with --redis-client-cert and --redis-client-key";
        return new TokenStoreRefusedException(
            TokenStoreRefusal.TlsVerificationFailed,
            detail,
            $"the token store {options} refused the TLS connection ({alert}); {hint}",
            exception)
        {
            ClientCertificateRefused = true,
        };
    }

    private static bool IsAuthenticationFailure(RedisConnectionException exception) =>
        exception.FailureType == ConnectionFailureType.AuthenticationFailure || HasServerAuthenticationError(exception);

    private static bool HasServerAuthenticationError(RedisConnectionException exception) =>
        exception.Message.Contains("NOAUTH", StringComparison.Ordinal)
        || exception.Message.Contains("WRONGPASS", StringComparison.Ordinal);

    /// <summary>
    /// Asks the sentinels which primaries they monitor (SENTINEL MASTERS), or null when none answers: a refusal by
    /// name is only certain when a sentinel says the name is not among them.
    /// </summary>
    private static async Task<IReadOnlyList<string>?> SentinelMasterNamesAsync(ConfigurationOptions configuration, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sentinels = configuration.Clone();
        sentinels.ServiceName = null;
        sentinels.CommandMap = CommandMap.Sentinel;
        sentinels.AbortOnConnectFail = false;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(sentinels).WaitAsync(timeout, cancellationToken);
            foreach (var endPoint in sentinels.EndPoints)
            {
                var server = connection.GetServer(endPoint);
                if (!server.IsConnected)
                {
                    continue;
                }

                var masters = await server.SentinelMastersAsync().WaitAsync(timeout, cancellationToken);
                return [.. masters.SelectMany(fields => fields).Where(field => field.Key == "name").Select(field => field.Value).Order(StringComparer.Ordinal)];
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // No sentinel would say: fall back to what the client's error said.
        }

        return null;
    }

    // The client wraps the server's reply ("WRONGPASS invalid username-password pair ...") in its own sentence.
    private static string ServerError(string message)
    {
        foreach (var marker in new[] { "WRONGPASS", "NOAUTH", "NOPERM" })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                var end = message.IndexOfAny(['\r', '\n'], at);
                return end > 0 ? message[at..end] : message[at..];
            }
        }

        return message;
    }

    // The client's messages can span lines (an inner exception's text appended); refusals are one line.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
