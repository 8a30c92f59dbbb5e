using System.CommandLine;
using System.Text.Json;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using ConsoleProxy.Tokens.Urls;

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
        var target = CliOption.Create<string>("--target", "VNC server (or, with --kind serial, the serial port's TCP listener; with --kind spice, the SPICE port) as HOST:PORT; IPv6 as [ADDR]:PORT", helpName: "HOST:PORT");
        target.Required = true;
        var ttl = CliOption.Duration("--ttl", "How long the token is valid", "600", zeroDisables: false);
        var baseUrl = CliOption.Create("--base-url", "The proxy as the browser reaches it; the URL printed is BASE/vnc_lite.html?path=websockify%3Ftoken%3D...", () => "http://127.0.0.1:6080", "URL");
        var singleUse = CliOption.Create<bool>("--single-use", "The first session consumes the token");
        var viewOnly = CliOption.Create<bool>("--view-only", "Sessions see the screen but cannot send input");
        var vncPasswordFile = CliOption.Create<string>("--vnc-password-file", "File holding the VM's VNC password (never on the command line); sealed into the record with --vnc-password-key, answered by the proxy, never shown to the browser", helpName: "FILE");
        var vncPasswordKey = CliOption.Create<string>("--vnc-password-key", "The proxies' keyring (as `serve --vnc-password-key`) that seals --vnc-password-file", helpName: "FILE");
        var vncUsername = CliOption.Create<string>("--vnc-username", "User name the proxy sends with --vnc-password-file when the VNC server asks for both (VeNCrypt X509Plain); stored as it is, the password stays sealed", helpName: "NAME");
        var kind = CliOption.Create("--kind", "Which console the token opens: vnc (noVNC page), serial (terminal page, raw bytes to the target) or spice (spice-html5 page; a single-use token admits one client's channels); the proxy must serve it (serve --kinds)", () => ConsoleKindNames.Vnc, "KIND");
        kind.AcceptOnlyFromAmong(ConsoleKindNames.Vnc, ConsoleKindNames.Serial, ConsoleKindNames.Spice);
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
        command.Add(output);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!ConsoleTarget.TryParse(result.GetValue(target), out var consoleTarget, out var targetError))
            {
                await context.Error.WriteLineAsync($"--target: {targetError}");
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

            var flags = (result.GetValue(singleUse) ? TokenFlags.SingleUse : TokenFlags.None)
                | (result.GetValue(viewOnly) ? TokenFlags.ViewOnly : TokenFlags.None);
            var token = AccessToken.Mint();
            var hash = TokenHash.Of(token);
            var expiresAt = context.TimeProvider.GetUtcNow() + CliOption.ReadDuration(result, ttl);
            var (sealedPassword, passwordError) = SealVncPassword(result.GetValue(vncPasswordFile), result.GetValue(vncPasswordKey), hash);
            if (passwordError is not null)
            {
                await context.Error.WriteLineAsync(passwordError);
                return ExitCodes.Usage;
            }

            var stored = await TokenStoreCalls.RunAsync(
                () => store.Read(result),
                context,
                (tokenStore, ct) => tokenStore.StoreAsync(hash, new TokenRecord(consoleTarget, expiresAt, flags, SealedVncPassword: sealedPassword, Kind: consoleKind, VncUsername: username), ct),
                cancellationToken);
            if (!stored)
            {
                return ExitCodes.Failed;
            }

            var url = AccessUrl.Build(baseText, token, consoleKind);
            if (result.GetValue(output) == "json")
            {
                var document = new Dictionary<string, string>
                {
                    ["token"] = token,
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
