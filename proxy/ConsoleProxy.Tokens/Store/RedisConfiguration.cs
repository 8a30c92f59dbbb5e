using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConsoleProxy.Tokens.Targets;
using StackExchange.Redis;

namespace ConsoleProxy.Tokens.Store;

/// <summary>Turns <see cref="TokenStoreOptions"/> into the client's configuration (the refusals are <see cref="RedisRefusals"/>'s).</summary>
internal static class RedisConfiguration
{
    public static ConfigurationOptions Build(TokenStoreOptions options)
    {
        if (options.ConnectTimeout <= TimeSpan.Zero || options.OperationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("token store timeouts must be positive", nameof(options));
        }

        var operationTimeout = (int)Math.Min(options.OperationTimeout.TotalMilliseconds, int.MaxValue);
        var configuration = new ConfigurationOptions
        {
            // Keep retrying in the background after the first attempt: a proxy pod must come up (and
            // answer 503) rather than crash-loop while its Redis restarts.
            AbortOnConnectFail = false,
            ConnectTimeout = (int)Math.Min(options.ConnectTimeout.TotalMilliseconds, int.MaxValue),
            SyncTimeout = operationTimeout,
            AsyncTimeout = operationTimeout,
            User = options.User,
            Password = options.Password,
            Ssl = options.UsesTls,
            ClientName = "consoleproxy",

            // No tie-breaker key reads and no master-changed channel, so the only keys and channels
            // this client touches are the schema's (Sentinel tells the client about failovers itself).
            TieBreaker = string.Empty,
            ConfigurationChannel = string.Empty,

            // Short keep-alive so a silently dead connection (pod rescheduled, no RST) is noticed in
            // seconds, not at the next TCP timeout.
            KeepAlive = 5,
            ReconnectRetryPolicy = new ExponentialRetry(250, 5000),
        };

        if (options.Sentinel is { } sentinel)
        {
            if (string.IsNullOrWhiteSpace(sentinel.MasterName))
            {
                throw new ArgumentException("a Sentinel token store needs the master name (--redis-master-name)", nameof(options));
            }

            configuration.ServiceName = sentinel.MasterName;
            foreach (var address in sentinel.Addresses)
            {
                AddEndPoint(configuration, address, "sentinel address");
            }
        }
        else
        {
            AddEndPoint(configuration, options.Address, "token store address");
        }

        if (options.CaFile is { } caFile)
        {
            var authority = LoadCertificateAuthority(caFile);
            configuration.CertificateValidation += (_, certificate, _, errors) => IsTrusted(certificate, errors, authority);
        }

        if (options.TlsMaterial is { } material)
        {
            if (options.CaFile is not null || options.ClientCertificateFile is not null || options.ClientKeyFile is not null)
            {
                throw new ArgumentException("give the token store's TLS material as files or in memory, not both", nameof(options));
            }

            if (material.CaPem is { } caPem)
            {
                var authority = LoadCertificateAuthorityPem(caPem, material.Source);
                configuration.CertificateValidation += (_, certificate, _, errors) => IsTrusted(certificate, errors, authority);
            }

            if (material.ClientCertificatePem is { } certificatePem)
            {
                var clientCertificate = LoadClientCertificatePem(certificatePem, material.ClientKeyPem, material.Source);
                configuration.CertificateSelection += (_, _, _, _, _) => clientCertificate;
            }
        }

        if (options.ClientCertificateFile is { } certificateFile)
        {
            var clientCertificate = LoadClientCertificate(certificateFile, options.ClientKeyFile);
            configuration.CertificateSelection += (_, _, _, _, _) => clientCertificate;
        }
        else if (options.ClientKeyFile is not null)
        {
            throw new ArgumentException("--redis-client-key needs --redis-client-cert", nameof(options));
        }

        return configuration;
    }

    private static void AddEndPoint(ConfigurationOptions configuration, string text, string what)
    {
        if (!ConsoleTarget.TryParse(text, out var address, out var error))
        {
            throw new ArgumentException($"{what}: {error}", nameof(text));
        }

        configuration.EndPoints.Add(IPAddress.TryParse(address.Host, out var ip)
            ? new IPEndPoint(ip, address.Port)
            : new DnsEndPoint(address.Host, address.Port));
    }

    internal static X509Certificate2Collection LoadCertificateAuthority(string file)
    {
        var authority = new X509Certificate2Collection();
        try
        {
            authority.ImportFromPemFile(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException($"--redis-ca '{file}': cannot read a PEM certificate: {exception.Message}", nameof(file), exception);
        }

        return authority.Count > 0
            ? authority
            : throw new ArgumentException($"--redis-ca '{file}': no PEM certificate in the file", nameof(file));
    }

    internal static X509Certificate2Collection LoadCertificateAuthorityPem(string pem, string source)
    {
        var authority = new X509Certificate2Collection();
        try
        {
            authority.ImportFromPem(pem);
        }
        catch (CryptographicException exception)
        {
            throw new ArgumentException($"the token store CA from {source}: cannot read a PEM certificate: {exception.Message}", nameof(pem), exception);
        }

        return authority.Count > 0
            ? authority
            : throw new ArgumentException($"the token store CA from {source}: no PEM certificate in it", nameof(pem));
    }

    private static X509Certificate2 LoadClientCertificatePem(string certificatePem, string? keyPem, string source)
    {
        try
        {
            using var certificate = keyPem is null ? X509Certificate2.CreateFromPem(certificatePem) : X509Certificate2.CreateFromPem(certificatePem, keyPem);
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"the token store client certificate from {source}: cannot load a PEM certificate and key: {exception.Message}", nameof(certificatePem), exception);
        }
    }

    private static X509Certificate2 LoadClientCertificate(string certificateFile, string? keyFile)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);

            // SslStream on Linux wants the key in a form it can export to OpenSSL; PKCS#12 round-trip gives it that.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"--redis-client-cert '{certificateFile}' / --redis-client-key '{keyFile}': cannot load a PEM certificate and key: {exception.Message}", nameof(certificateFile), exception);
        }
    }

    /// <summary>
    /// Trusts a server certificate that chains to the private CA and names the host connected to.
    /// A name mismatch is never forgiven, whatever the chain.
    /// </summary>
    internal static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authority)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}
