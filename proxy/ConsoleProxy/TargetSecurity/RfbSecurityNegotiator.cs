using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// The proxy's side of the RFB handshake with a VNC server when it is a security proxy (nova's RFB security proxy):
/// protocol version, the security type from `--target-auth-schemes` the server offers first, VeNCrypt's own
/// negotiation (X509None, X509Plain or X509Vnc over TLS with the client certificate; TLSNone or TLSVnc over anonymous
/// TLS only when `vencrypt-anon` is listed), up to the server's SecurityResult. What is returned is the
/// connection right before ClientInit; the browser, told security type None by <see cref="BrowserRfbGreeting"/>,
/// carries on from there. Every refusal is a <see cref="TargetSecurityException"/> that says what was offered and
/// what was wanted, and the whole handshake has a deadline: a server that stalls costs seconds, not a hung session.
/// </summary>
public sealed class RfbSecurityNegotiator(TargetSecurityOptions options, TargetTlsClient tls, TokenVncPasswords vncPasswords, TimeProvider timeProvider, TimeSpan timeout)
{
    private static readonly byte[] Version38 = "RFB 003.008\n"u8.ToArray();

    public TargetSecurityOptions Options => options;

    /// <summary>
    /// Negotiates over <paramref name="socket"/> with the token's VNC server (its host is the name its certificate must
    /// carry), answering a VNC challenge with the password the token carries sealed, when the server asks. The stream
    /// returned owns nothing: dispose it, then the socket.
    /// </summary>
    public async Task<Stream> NegotiateAsync(Socket socket, TokenRecord record, TokenHash hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!vncPasswords.TryOpen(record, hash, out var vncPassword, out var passwordError))
        {
            throw new TargetSecurityException("the token's VNC password cannot be opened", passwordError);
        }

        // The certificate must name the target, or the name the token gives for it (a node's DNS name, its host an IP).
        var serverName = record.ServerName ?? record.Target.Host;
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            if (options.Tls)
            {
                stream = await tls.AuthenticateAsync(stream, serverName, linked.Token);
            }

            if (options.AuthSchemes.Count > 0)
            {
                stream = await NegotiateSecurityAsync(stream, serverName, vncPassword, record.VncUsername, linked.Token);
            }

            return stream;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync();
            throw new TargetSecurityException("the VNC server's handshake timed out", $"the VNC server {serverName} did not finish the RFB security handshake within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            await stream.DisposeAsync();
            throw new TargetSecurityException("the VNC server hung up during the handshake", $"the VNC server {serverName} closed the connection during the RFB security handshake: {e.Message}", e);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    private async Task<Stream> NegotiateSecurityAsync(Stream stream, string serverName, string? vncPassword, string? vncUsername, CancellationToken cancellationToken)
    {
        var version = Encoding.ASCII.GetString(await ReadAsync(stream, 12, cancellationToken));
        if (!version.StartsWith("RFB 003.", StringComparison.Ordinal) || string.CompareOrdinal(version, "RFB 003.007\n") < 0)
        {
            throw new TargetSecurityException("the VNC server speaks an RFB older than 3.7", $"the VNC server {serverName} speaks '{version.TrimEnd()}'; the security proxy needs RFB 3.7 or 3.8");
        }

        // 3.8 whenever the server has it: only 3.8 says why a SecurityResult failed.
        var minor = string.CompareOrdinal(version, "RFB 003.008\n") >= 0 ? 8 : 7;
        await stream.WriteAsync(minor == 8 ? Version38 : "RFB 003.007\n"u8.ToArray(), cancellationToken);
        var count = (await ReadAsync(stream, 1, cancellationToken))[0];
        if (count == 0)
        {
            var reason = await ReadReasonAsync(stream, cancellationToken);
            throw new TargetSecurityException("the VNC server refused the connection", $"the VNC server {serverName} refused the connection: {reason}");
        }

        var offered = await ReadAsync(stream, count, cancellationToken);
        var chosen = Choose(offered, vncPassword is not null);
        if (chosen is null)
        {
            var names = string.Join(", ", offered.Select(RfbSecurityType.Name));
            var passwordMissing = offered.Contains(RfbSecurityType.VncAuthentication) && options.AuthSchemes.Contains(TargetAuthScheme.Vnc) && vncPassword is null;
            throw new TargetSecurityException(
                passwordMissing ? "the VNC server wants a password; the token has none" : $"the VNC server offers {names}; the proxy accepts {TargetSecurityOptions.Describe(options.AuthSchemes)}",
                $"the VNC server {serverName} offers security types {names}; --target-auth-schemes accepts {TargetSecurityOptions.Describe(options.AuthSchemes)}{(passwordMissing ? " and the token carries no VNC password" : string.Empty)}");
        }

        await stream.WriteAsync(new[] { chosen.Value }, cancellationToken);
        if (chosen == RfbSecurityType.VeNCrypt)
        {
            stream = await VeNCryptAsync(stream, serverName, vncPassword, vncUsername, cancellationToken);
        }
        else if (chosen == RfbSecurityType.VncAuthentication)
        {
            await AnswerChallengeAsync(stream, vncPassword!, cancellationToken);
        }

        // RFB 3.7 sends no SecurityResult after None; 3.8 always does.
        if (chosen != RfbSecurityType.None || minor == 8)
        {
            await ReadSecurityResultAsync(stream, serverName, minor, cancellationToken);
        }

        return stream;
    }

    private byte? Choose(byte[] offered, bool havePassword)
    {
        foreach (var scheme in options.AuthSchemes)
        {
            if (scheme == TargetAuthScheme.Vnc && !havePassword)
            {
                continue;
            }

            var type = scheme switch
            {
                TargetAuthScheme.VeNCrypt or TargetAuthScheme.VeNCryptAnonymous => RfbSecurityType.VeNCrypt,
                TargetAuthScheme.Vnc => RfbSecurityType.VncAuthentication,
                _ => RfbSecurityType.None,
            };
            if (offered.Contains(type))
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>
    /// VeNCrypt 0.2: version, subtype (see <see cref="ChooseSubtype"/>), the server's go-ahead, TLS (x509 or anonymous),
    /// and the subtype's own authentication inside it; returns the TLS stream.
    /// </summary>
    private async Task<Stream> VeNCryptAsync(Stream stream, string serverName, string? vncPassword, string? vncUsername, CancellationToken cancellationToken)
    {
        var version = await ReadAsync(stream, 2, cancellationToken);
        if (version[0] == 0 && version[1] < 2)
        {
            throw new TargetSecurityException("the VNC server's VeNCrypt is older than 0.2", $"the VNC server {serverName} speaks VeNCrypt {version[0]}.{version[1]}; the proxy needs 0.2");
        }

        await stream.WriteAsync(new byte[] { 0, 2 }, cancellationToken);
        if ((await ReadAsync(stream, 1, cancellationToken))[0] != 0)
        {
            throw new TargetSecurityException("the VNC server refused VeNCrypt 0.2", $"the VNC server {serverName} refused VeNCrypt version 0.2");
        }

        var count = (await ReadAsync(stream, 1, cancellationToken))[0];
        var raw = await ReadAsync(stream, count * 4, cancellationToken);
        var subtypes = Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(i * 4))).ToList();
        var havePlain = vncPassword is not null && vncUsername is not null;
        var subtype = ChooseSubtype(subtypes, vncPassword is not null, havePlain) ?? throw NoAcceptableSubtype(subtypes, serverName, vncPassword is not null, havePlain);

        var choice = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(choice, subtype);
        await stream.WriteAsync(choice, cancellationToken);
        if ((await ReadAsync(stream, 1, cancellationToken))[0] != 1)
        {
            var name = RfbSecurityType.SubtypeName(subtype);
            throw new TargetSecurityException($"the VNC server refused VeNCrypt {name}", $"the VNC server {serverName} refused the VeNCrypt subtype {name} it offered");
        }

        var secured = RfbSecurityType.IsAnonymousTls(subtype)
            ? await TargetTlsClient.AuthenticateAnonymousAsync(stream, serverName, cancellationToken)
            : await tls.AuthenticateAsync(stream, serverName, cancellationToken);
        if (subtype is RfbSecurityType.X509Vnc or RfbSecurityType.TlsVnc)
        {
            await AnswerChallengeAsync(secured, vncPassword!, cancellationToken);
        }
        else if (subtype == RfbSecurityType.X509Plain)
        {
            await secured.WriteAsync(PlainCredentials.Encode(vncUsername!, vncPassword!), cancellationToken);
        }

        return secured;
    }

    /// <summary>
    /// The first subtype the server offers of those the auth schemes allow, in their order: `vencrypt` is X509None,
    /// then X509Plain when the token carries a user name and a password, then X509Vnc when it carries a password;
    /// `vencrypt-anon` is TLSNone, then TLSVnc likewise (never TLSPlain: credentials to a server that proved nothing).
    /// </summary>
    private uint? ChooseSubtype(IReadOnlyList<uint> offered, bool havePassword, bool havePlain)
    {
        foreach (var scheme in options.AuthSchemes)
        {
            uint[] acceptable = scheme switch
            {
                TargetAuthScheme.VeNCrypt => havePlain ? [RfbSecurityType.X509None, RfbSecurityType.X509Plain, RfbSecurityType.X509Vnc]
                    : havePassword ? [RfbSecurityType.X509None, RfbSecurityType.X509Vnc]
                    : [RfbSecurityType.X509None],
                TargetAuthScheme.VeNCryptAnonymous => havePassword ? [RfbSecurityType.TlsNone, RfbSecurityType.TlsVnc] : [RfbSecurityType.TlsNone],
                _ => [],
            };
            foreach (var subtype in acceptable)
            {
                if (offered.Contains(subtype))
                {
                    return subtype;
                }
            }
        }

        return null;
    }

    /// <summary>Why none of the offered subtypes will do, and what would make one do.</summary>
    private TargetSecurityException NoAcceptableSubtype(IReadOnlyList<uint> offered, string serverName, bool havePassword, bool havePlain)
    {
        var names = string.Join(", ", offered.Select(RfbSecurityType.SubtypeName));
        var accepts = TargetSecurityOptions.Describe(options.AuthSchemes);
        var anonymousAllowed = options.AuthSchemes.Contains(TargetAuthScheme.VeNCryptAnonymous);
        var x509Allowed = options.AuthSchemes.Contains(TargetAuthScheme.VeNCrypt);
        var wantsPassword = !havePassword
            && ((x509Allowed && offered.Contains(RfbSecurityType.X509Vnc)) || (anonymousAllowed && offered.Contains(RfbSecurityType.TlsVnc)));
        if (x509Allowed && !havePlain && offered.Contains(RfbSecurityType.X509Plain) && !wantsPassword)
        {
            return new TargetSecurityException(
                $"the VNC server wants a user name and password (X509Plain); the token has {(havePassword ? "no user name" : "neither")}",
                $"the VNC server {serverName} offers VeNCrypt subtypes {names}; X509Plain needs a user name and a VNC password in the token, and it carries {(havePassword ? "a password but no user name" : "neither")}");
        }

        if (wantsPassword)
        {
            return new TargetSecurityException(
                "the VNC server wants a password inside VeNCrypt; the token has none",
                $"the VNC server {serverName} offers VeNCrypt subtypes {names}; those --target-auth-schemes {accepts} allows need a VNC password and the token carries none");
        }

        if (!anonymousAllowed && offered.Any(RfbSecurityType.IsAnonymousTls))
        {
            // The one refusal a setting can fix: say which, and what it gives up.
            return new TargetSecurityException(
                $"the VNC server offers VeNCrypt {names}; anonymous TLS needs vencrypt-anon",
                $"the VNC server {serverName} offers VeNCrypt subtypes {names}: anonymous TLS, where the server shows no certificate; add vencrypt-anon to --target-auth-schemes ({accepts}) to accept it");
        }

        return new TargetSecurityException(
            $"the VNC server offers VeNCrypt {names}; the proxy accepts {accepts}",
            $"the VNC server {serverName} offers VeNCrypt subtypes {names}; --target-auth-schemes {accepts} negotiates X509None/X509Plain/X509Vnc (vencrypt) and TLSNone/TLSVnc (vencrypt-anon), the Vnc ones when the token carries a VNC password, X509Plain when it carries a user name too");
    }

    /// <summary>VNC authentication's challenge and response; the SecurityResult that follows says whether it was right.</summary>
    private static async Task AnswerChallengeAsync(Stream stream, string password, CancellationToken cancellationToken)
    {
        var challenge = await ReadAsync(stream, VncAuthentication.ChallengeLength, cancellationToken);
        await stream.WriteAsync(VncAuthentication.Respond(challenge, password), cancellationToken);
    }

    private static async Task ReadSecurityResultAsync(Stream stream, string serverName, int minor, CancellationToken cancellationToken)
    {
        byte[] result;
        try
        {
            result = await ReadAsync(stream, 4, cancellationToken);
        }
        catch (IOException e)
        {
            // Under TLS 1.3 a server that rejects our client certificate says so only now, by hanging up.
            throw new TargetSecurityException(
                "the VNC server hung up after TLS: is --target-cert trusted?",
                $"the VNC server {serverName} closed the connection before its SecurityResult (after TLS, this is how a rejected client certificate shows): {e.Message}", e);
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(result) != 0)
        {
            var reason = minor == 8 ? await ReadReasonAsync(stream, cancellationToken) : "no reason given (RFB 3.7)";
            throw new TargetSecurityException($"the VNC server refused the proxy's authentication: {(reason.Length > 40 ? reason[..40] : reason)}", $"the VNC server {serverName} refused the proxy's authentication: {reason}");
        }
    }

    private static async Task<string> ReadReasonAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(stream, 4, cancellationToken));
        var text = await ReadAsync(stream, (int)Math.Min(length, 1024), cancellationToken);
        return Encoding.UTF8.GetString(text);
    }

    private static async Task<byte[]> ReadAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
