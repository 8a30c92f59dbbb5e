using System.CommandLine;
using System.Text.Json;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Cli;

/// <summary>
/// `consoleproxy token create`: mints a token for one console target (VNC, or a serial port with `--kind serial`), stores its hash, prints the
/// access URL (the raw token exists only in this output).
/// </summary>
public static class TokenCreateCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static Command Create(CommandLineContext context)
    {
        var store = new TokenStoreOptionSet();
        var target = CliOption.Create<string>("--target", "(or --share-of) VNC server (or, with --kind serial, the serial port's TCP listener; with --kind spice, the SPICE port) as HOST:PORT; IPv6 as [ADDR]:PORT", helpName: "HOST:PORT");
        var ttl = CliOption.Duration("--ttl", "How long the token is valid", "600", zeroDisables: false);
        var baseUrl = CliOption.Create("--base-url", "The proxy as the browser reaches it; the URL printed is BASE/vnc_lite.html?path=websockify%3Ftoken%3D...", () => "http://127.0.0.1:6080", "URL");
        var singleUse = CliOption.Create<bool>("--single-use", "The first session consumes the token");
        var viewOnly = CliOption.Create<bool>("--view-only", "Sessions see the screen but cannot send input");
        var vncPasswordFile = CliOption.Create<string>("--vnc-password-file", "File holding the VM's VNC password (never on the command line); sealed into the record with --vnc-password-key, answered by the proxy, never shown to the browser", helpName: "FILE");
        var vncPasswordKey = CliOption.Create<string>("--vnc-password-key", "The proxies' keyring (as `serve --vnc-password-key`) that seals --vnc-password-file", helpName: "FILE");
        var vncUsername = CliOption.Create<string>("--vnc-username", "User name the proxy sends with --vnc-password-file when the VNC server asks for both (VeNCrypt X509Plain); stored as it is, the password stays sealed", helpName: "NAME");
        var kind = CliOption.Create("--kind", "Which console the token opens: vnc (noVNC page), serial (terminal page, raw bytes to the target) or spice (spice-html5 page; a single-use token admits one client's channels); the proxy must serve it (serve --kinds)", () => ConsoleKindNames.Vnc, "KIND");
        kind.AcceptOnlyFromAmong(ConsoleKindNames.Vnc, ConsoleKindNames.Serial, ConsoleKindNames.Spice);
        var maxSessions = CliOption.Create("--max-sessions", "Concurrent sessions the token admits (what happens to one more is the proxy's --on-session-limit); 0: the default, 1 for --single-use, else unlimited", () => 0, "COUNT");
        var shareOf = CliOption.Create<string>("--share-of", "Mint a share of this raw token's console: the same target, kind and owner, expiring no later than it (with --view-only: a read-only share of a live console); replaces --target", helpName: "TOKEN");
        var screenshotOnly = CliOption.Create<bool>("--screenshot-only", "The token takes pictures of a VNC console (GET /screenshot) and opens no session: the URL printed is BASE/screenshot?token=...; not with --single-use or another --kind");
        var output = CliOption.Create("--output", "text (the URL) or json ({token, url, expiresAt, tokenHash, kind})", () => "text");
        output.AcceptOnlyFromAmong("text", "json");

        var command = new Command("create", "Mint a token for a VNC server, serial port or SPICE server and print its access URL");
        store.AddTo(command);
        command.Add(target);
        command.Add(ttl);
        command.Add(baseUrl);
        command.Add(singleUse);
        command.Add(viewOnly);
        command.Add(vncPasswordFile);
        command.Add(vncPasswordKey);
        command.Add(vncUsername);
        command.Add(kind);
        command.Add(maxSessions);
        command.Add(shareOf);
        command.Add(screenshotOnly);
        command.Add(output);
        command.SetAction(async (result, cancellationToken) =>
        {
            var sharedToken = result.GetValue(shareOf)?.Trim();
            ConsoleTarget? consoleTarget = null;
            if (sharedToken is { Length: > 0 } == (result.GetValue(target) is not null))
            {
                await context.Error.WriteLineAsync("give exactly one of --target (a new console) and --share-of (another token's console)");
                return ExitCodes.Usage;
            }

            if (sharedToken is not { Length: > 0 } && !ConsoleTarget.TryParse(result.GetValue(target), out consoleTarget, out var targetError))
            {
                await context.Error.WriteLineAsync($"--target: {targetError}");
                return ExitCodes.Usage;
            }

            var sessionLimit = result.GetValue(maxSessions);
            if (sessionLimit < 0)
            {
                await context.Error.WriteLineAsync($"--max-sessions {sessionLimit} is negative (0 means the default)");
                return ExitCodes.Usage;
            }

            var baseText = result.GetValue(baseUrl)!;
            if (!Uri.TryCreate(baseText, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                await context.Error.WriteLineAsync($"--base-url: '{baseText}' is not an http(s) URL");
                return ExitCodes.Usage;
            }

            if (!ConsoleKindNames.TryParse(result.GetValue(kind), out var consoleKind, out var kindError))
            {
                await context.Error.WriteLineAsync($"--kind: {kindError}");
                return ExitCodes.Usage;
            }

            if (consoleKind != ConsoleKind.Vnc && result.GetValue(vncPasswordFile) is not null)
            {
                await context.Error.WriteLineAsync($"--vnc-password-file: a {ConsoleKindNames.NameOf(consoleKind)} console has no VNC password");
                return ExitCodes.Usage;
            }

            var username = result.GetValue(vncUsername);
            if (username is not null && (result.GetValue(vncPasswordFile) is null || username.Length == 0 || username.Any(char.IsControl)))
            {
                await context.Error.WriteLineAsync(result.GetValue(vncPasswordFile) is null
                    ? "--vnc-username goes with --vnc-password-file: X509Plain sends a user name and a password together"
                    : "--vnc-username: give a non-empty name without control characters");
                return ExitCodes.Usage;
            }

            if (consoleKind == ConsoleKind.Spice && result.GetValue(viewOnly))
            {
                // The proxy cannot drop a SPICE client's input without parsing every channel, so it refuses such a token.
                await context.Error.WriteLineAsync("--view-only: view-only SPICE consoles are not supported (the proxy would have to filter the SPICE inputs channel); use a VNC token for a view-only console");
                return ExitCodes.Usage;
            }

            var forScreenshots = result.GetValue(screenshotOnly);
            if (forScreenshots && (consoleKind != ConsoleKind.Vnc || result.GetValue(singleUse)))
            {
                await context.Error.WriteLineAsync(consoleKind != ConsoleKind.Vnc
                    ? $"--screenshot-only: a {ConsoleKindNames.NameOf(consoleKind)} console has no screen to take; screenshots are of VNC consoles"
                    : "--screenshot-only does not go with --single-use: a screenshot reads the token and never consumes it");
                return ExitCodes.Usage;
            }

            // Minted as the operator mints a ConsoleToken: the same code, the expiry rounded down to the whole second.
            var flags = IssuedToken.Flags(result.GetValue(singleUse), result.GetValue(viewOnly));
            var issued = IssuedToken.Mint(context.TimeProvider.GetUtcNow(), CliOption.ReadDuration(result, ttl));
            var hash = issued.Hash;
            var expiresAt = issued.ExpiresAt;
            var sharing = sharedToken is { Length: > 0 };
            if (sharing && result.GetValue(vncPasswordFile) is not null)
            {
                await context.Error.WriteLineAsync("--vnc-password-file does not go with --share-of: a share uses the shared console's password");
                return ExitCodes.Usage;
            }

            var (sealedPassword, passwordError) = sharing ? (null, null) : SealVncPassword(result.GetValue(vncPasswordFile), result.GetValue(vncPasswordKey), hash);
            if (passwordError is not null)
            {
                await context.Error.WriteLineAsync(passwordError);
                return ExitCodes.Usage;
            }

            string? shareError = null;
            var stored = await TokenStoreCalls.RunAsync(
                () => store.Read(result),
                context,
                async (tokenStore, ct) =>
                {
                    var record = issued.RecordFor(consoleTarget ?? new ConsoleTarget("127.0.0.1", 5900), flags, consoleKind, sessionLimit, forScreenshots) with
                    {
                        SealedVncPassword = sealedPassword,
                        VncUsername = username,
                    };
                    if (sharedToken is { Length: > 0 })
                    {
                        (var shared, shareError) = await ShareAsync(tokenStore, sharedToken, issued, flags, sessionLimit, result.GetValue(vncPasswordKey), ct);
                        if (shared is null)
                        {
                            return;
                        }

                        if (forScreenshots && shared.Kind != ConsoleKind.Vnc)
                        {
                            shareError = $"--screenshot-only: the shared token opens a {ConsoleKindNames.NameOf(shared.Kind)} console, which has no screen to take";
                            return;
                        }

                        // Narrower than the shared token is fine (screenshots of a console); wider never: a share of a
                        // screenshot-only token stays one, with or without --screenshot-only.
                        if (shared.IsScreenshotOnly && flags.HasFlag(TokenFlags.SingleUse))
                        {
                            shareError = "the shared token is for screenshots only, and a single-use token opens one console session: drop --single-use";
                            return;
                        }

                        forScreenshots |= shared.IsScreenshotOnly;
                        record = shared with { IsScreenshotOnly = forScreenshots };
                        consoleKind = shared.Kind;
                        expiresAt = shared.ExpiresAt;
                    }

                    await tokenStore.StoreAsync(hash, record, ct);
                },
                cancellationToken);
            if (!stored)
            {
                return ExitCodes.Failed;
            }

            if (shareError is not null)
            {
                await context.Error.WriteLineAsync($"--share-of: {shareError}");
                return ExitCodes.Failed;
            }

            var url = issued.UrlAt(baseText, consoleKind, forScreenshots);
            if (result.GetValue(output) == "json")
            {
                var document = new Dictionary<string, string>
                {
                    ["token"] = issued.Token,
                    ["url"] = url,
                    ["expiresAt"] = expiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["tokenHash"] = hash.Hex,
                    ["kind"] = ConsoleKindNames.NameOf(consoleKind),
                };
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(document, Json));
            }
            else
            {
                await context.Output.WriteLineAsync(url);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The record of a share of <paramref name="sharedToken"/>'s console: its target, kind, owner, instance, server
    /// name, screenshot-only flag and VNC username (an X509Plain/Plain server asks the share for the same credentials); this token's flags; expiring at the earlier of the two expiries (a share never outlives the console's own
    /// link). A sealed VNC password is bound to its token's hash, so it is opened with the keyring and sealed again for
    /// the new hash; without the keyring such a console cannot be shared.
    /// </summary>
    private static async Task<(TokenRecord? Record, string? Error)> ShareAsync(ITokenStore store, string sharedToken, IssuedToken issued, TokenFlags flags, int sessionLimit, string? keyringFile, CancellationToken cancellationToken)
    {
        var sharedHash = TokenHash.Of(sharedToken);
        var lookup = await store.GetAsync(sharedHash, cancellationToken);
        if (lookup.Record is not { } shared)
        {
            return (null, $"token {sharedHash.ShortForm} is not in the token store (unknown, expired, used or revoked); only a live token's console can be shared");
        }

        string? sealedPassword = null;
        if (shared.SealedVncPassword is { } sealedValue)
        {
            if (keyringFile is null)
            {
                return (null, "the shared console has a VNC password; give --vnc-password-key (the proxies' keyring) to seal it for the share");
            }

            var keyring = VncPasswordKeyring.Load(keyringFile);
            if (!VncPasswordSeal.TryOpen(sealedValue, sharedHash, keyring, out var password, out var error))
            {
                return (null, $"cannot open the shared console's VNC password with --vnc-password-key: {error}");
            }

            sealedPassword = VncPasswordSeal.Seal(password, issued.Hash, keyring.Current);
        }

        var record = issued.RecordFor(shared.Target, flags, shared.Kind, sessionLimit) with
        {
            ExpiresAt = issued.ExpiresAt < shared.ExpiresAt ? issued.ExpiresAt : shared.ExpiresAt,
            Owner = shared.Owner,
            Instance = shared.Instance,
            SealedVncPassword = sealedPassword,
            VncUsername = shared.VncUsername,
            ServerName = shared.ServerName,
            IsScreenshotOnly = shared.IsScreenshotOnly,
        };
        return (record, null);
    }

    /// <summary>The sealed password for the record, or a usage error; the password itself is never printed.</summary>
    private static (string? Sealed, string? Error) SealVncPassword(string? passwordFile, string? keyringFile, TokenHash hash)
    {
        if (passwordFile is null && keyringFile is null)
        {
            return (null, null);
        }

        if (passwordFile is null || keyringFile is null)
        {
            return (null, "--vnc-password-file and --vnc-password-key go together: the password is stored only sealed with the proxies' key");
        }

        try
        {
            var keyring = VncPasswordKeyring.Load(keyringFile);
            var password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
            return password.Length == 0
                ? (null, $"--vnc-password-file '{passwordFile}' is empty")
                : (VncPasswordSeal.Seal(password, hash, keyring.Current), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read {e.Message}");
        }
        catch (FormatException e)
        {
            return (null, $"--vnc-password-key: {e.Message}");
        }
    }
}
