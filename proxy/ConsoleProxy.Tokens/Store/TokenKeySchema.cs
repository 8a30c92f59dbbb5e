using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The Redis layout of the token index, shared by the operator and CLI (writers) and the proxy
/// (reader). Changing anything here is a schema change: bump <see cref="Version"/> so readers of the
/// old version refuse new records instead of misreading them.
/// </summary>
/// <remarks>
/// Schema version 1, under a per-proxy key prefix {prefix} (default <c>consoleproxy:</c>):
/// <list type="bullet">
/// <item><c>{prefix}token:{sha256 of the raw token, 64 lowercase hex}</c> is a Redis hash with the fields
///   <c>v</c> (schema version, "1"),
///   <c>host</c> (target host: IPv4, IPv6 without brackets, or DNS name),
///   <c>port</c> (target TCP port, decimal),
///   <c>owner</c> (<c>namespace/name</c> of the ConsoleToken; empty when minted by the CLI),
///   <c>instance</c> (free-form VM id for audit; may be empty),
///   <c>single_use</c> and <c>view_only</c> ("1" or "0"),
///   <c>expires_at</c> (absolute expiry, Unix time in milliseconds),
///   optionally <c>vnc_password</c> (sealed) and <c>kind</c> (<c>serial</c> or <c>spice</c>; written only for
///   those, so a VNC record is the same as before kinds existed and a missing <c>kind</c> reads as <c>vnc</c>;
///   an unknown kind makes the record unreadable, so a newer kind never opens as VNC on this reader).
///   A reader that predates <c>kind</c> takes a serial record for VNC and dials its port with the VNC relay:
///   the VNC allow-list (which names VNC ports, not serial ones) is what stops it, so upgrade the proxies first.
///   Optionally <c>max_sessions</c> (concurrent sessions the token admits; older readers ignore it).
///   The key itself expires at that instant (PEXPIREAT), so Redis forgets a token on its own;
///   readers still compare <c>expires_at</c> with their own clock, which may run ahead of Redis's.</item>
/// <item><c>{prefix}revocations</c> is a pub/sub channel; each message is the 64-character hex hash of a
///   revoked token. Every proxy subscribes and closes the token's live sessions.</item>
/// <item><c>{prefix}consumed:{hex hash}</c> is a string "1" written, in the same atomic step, when a
///   reader consumes a single-use record; it expires at the record's <c>expires_at</c> (PEXPIREAT).</item>
/// <item><c>{prefix}revoked:{hex hash}</c> is a string "1" written, in the same atomic step, when a
///   revocation deletes a record that had an expiry; it expires when the record would have (its PTTL).</item>
/// </list>
/// The two markers only let a reader say why a token is missing (already used, revoked, or unknown:
/// the proxy's authorization-failure reasons); they authorize nothing and hold nothing but "1".
/// Storing a record deletes both markers of its hash, so a rewritten or re-minted token is never
/// reported as used or revoked once it is gone again. They are an addition, not a schema change
/// (hence no new <see cref="Version"/>): a reader that predates them never looks at them, and a writer
/// that predates them never writes them, so in a mixed fleet a miss just loses its finer reason (it
/// reads as unknown). One case mislabels: an old writer storing a hash again leaves its markers, which
/// can then name a reason for the new record's miss until they expire; that is still only a label.
/// The raw token is never stored: a leaked Redis dump does not open any console.
/// A record whose <c>v</c> is missing or unknown, or whose fields do not parse, is treated as no
/// token at all; a reader never consumes a single-use record of a version it does not know.
/// </remarks>
public sealed class TokenKeySchema
{
    public const int Version = 1;

    private static readonly string VersionText = Version.ToString(CultureInfo.InvariantCulture);

    public TokenKeySchema(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        KeyPrefix = keyPrefix;
        RevocationChannel = keyPrefix + "revocations";
    }

    public string KeyPrefix { get; }

    /// <summary>
    /// The pub/sub channel carrying the hex hashes of revoked tokens; subscribers
    /// ignore everything that is not a hash (proxies on the old client also sent `probe:&lt;id&gt;` messages here).
    /// </summary>
    public string RevocationChannel { get; }

    public string KeyFor(TokenHash hash) => KeyPrefix + "token:" + HexOf(hash);

    /// <summary>The marker saying a single-use token was redeemed (see the remarks).</summary>
    public string ConsumedKeyFor(TokenHash hash) => KeyPrefix + "consumed:" + HexOf(hash);

    /// <summary>The marker saying a token was revoked (see the remarks).</summary>
    public string RevokedKeyFor(TokenHash hash) => KeyPrefix + "revoked:" + HexOf(hash);

    /// <summary>The hash fields that represent <paramref name="record"/>, in a stable order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ToFields(TokenRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        KeyValuePair<string, string>[] password = record.SealedVncPassword is { } sealedPassword ? [new(TokenRecordFields.VncPassword, sealedPassword)] : [];
        if (record.IsScreenshotOnly && record.Kind != ConsoleKind.Vnc)
        {
            throw new ArgumentException($"a screenshot-only token must be of kind vnc, not {ConsoleKindNames.NameOf(record.Kind)}: only a VNC console has a screen to take", nameof(record));
        }

        KeyValuePair<string, string>[] kind = record.IsScreenshotOnly
            ? [new(TokenRecordFields.Kind, TokenRecordFields.ScreenshotKind)]
            : record.Kind == ConsoleKind.Vnc ? [] : [new(TokenRecordFields.Kind, ConsoleKindNames.NameOf(record.Kind))];
        KeyValuePair<string, string>[] serverName = record.ServerName is { } name ? [new(TokenRecordFields.ServerName, name)] : [];
        KeyValuePair<string, string>[] username = record.VncUsername is { } user ? [new(TokenRecordFields.VncUsername, user)] : [];
        KeyValuePair<string, string>[] maxSessions = record.MaxSessions is { } max ? [new(TokenRecordFields.MaxSessions, max.ToString(CultureInfo.InvariantCulture))] : [];
        return
        [
            new(TokenRecordFields.Version, VersionText),
            new(TokenRecordFields.Host, record.Target.Host),
            new(TokenRecordFields.Port, record.Target.Port.ToString(CultureInfo.InvariantCulture)),
            new(TokenRecordFields.Owner, record.Owner),
            new(TokenRecordFields.Instance, record.Instance),
            new(TokenRecordFields.SingleUse, record.IsSingleUse ? "1" : "0"),
            new(TokenRecordFields.ViewOnly, record.IsViewOnly ? "1" : "0"),
            new(TokenRecordFields.ExpiresAt, ToUnixMilliseconds(record.ExpiresAt)),
            .. password,
            .. kind,
            .. serverName,
            .. username,
            .. maxSessions,
        ];
    }

    /// <summary>
    /// Reads a record back from its hash fields. False, with the reason, for an unknown schema
    /// version or a malformed field: such a record authorizes nothing.
    /// </summary>
    public static bool TryReadFields(
        IReadOnlyDictionary<string, string> fields,
        [NotNullWhen(true)] out TokenRecord? record,
        [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(fields);
        record = null;
        if (!fields.TryGetValue(TokenRecordFields.Version, out var version) || version != VersionText)
        {
            reason = version is null
                ? "the record has no schema version"
                : $"the record has schema version '{version}'; this reader understands {VersionText}";
            return false;
        }

        if (!fields.TryGetValue(TokenRecordFields.Host, out var host) || string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            reason = "the record has no valid host";
            return false;
        }

        if (!TryReadInteger(fields, TokenRecordFields.Port, out var port) || port is < 1 or > 65535)
        {
            reason = "the record has no valid port";
            return false;
        }

        if (!TryReadInteger(fields, TokenRecordFields.ExpiresAt, out var expiresAt) || expiresAt < 0 || expiresAt > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            reason = "the record has no valid expires_at";
            return false;
        }

        if (!TryReadFlag(fields, TokenRecordFields.SingleUse, out var singleUse) || !TryReadFlag(fields, TokenRecordFields.ViewOnly, out var viewOnly))
        {
            reason = "the record has a single_use or view_only field other than 0 or 1";
            return false;
        }

        var kind = ConsoleKind.Vnc;
        var screenshotOnly = fields.TryGetValue(TokenRecordFields.Kind, out var kindText) && kindText == TokenRecordFields.ScreenshotKind;
        if (kindText is not null && !screenshotOnly && !ConsoleKindNames.TryParse(kindText, out kind, out var kindError))
        {
            reason = $"the record's kind: {kindError}";
            return false;
        }

        int? maxSessions = null;
        if (fields.ContainsKey(TokenRecordFields.MaxSessions))
        {
            if (!TryReadInteger(fields, TokenRecordFields.MaxSessions, out var max) || max is < 1 or > int.MaxValue)
            {
                reason = "the record's max_sessions is not a positive integer";
                return false;
            }

            maxSessions = (int)max;
        }

        var flags = (singleUse ? TokenFlags.SingleUse : TokenFlags.None) | (viewOnly ? TokenFlags.ViewOnly : TokenFlags.None);
        record = new TokenRecord(
            new ConsoleTarget(host, (int)port),
            DateTimeOffset.FromUnixTimeMilliseconds(expiresAt),
            flags,
            fields.GetValueOrDefault(TokenRecordFields.Owner, string.Empty),
            fields.GetValueOrDefault(TokenRecordFields.Instance, string.Empty),
            fields.GetValueOrDefault(TokenRecordFields.VncPassword),
            kind,
            fields.GetValueOrDefault(TokenRecordFields.ServerName),
            fields.GetValueOrDefault(TokenRecordFields.VncUsername))
        {
            MaxSessions = maxSessions,
            IsScreenshotOnly = screenshotOnly,
        };
        reason = null;
        return true;
    }

    /// <summary>Expiry as stored: Unix milliseconds (sub-millisecond precision is dropped).</summary>
    public static string ToUnixMilliseconds(DateTimeOffset instant) =>
        instant.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static string HexOf(TokenHash hash) =>
        // default(TokenHash) has no hex; a key "{prefix}token:" would be shared by every such mistake.
        hash.Hex ?? throw new ArgumentException("the token hash is uninitialised (default(TokenHash))", nameof(hash));

    private static bool TryReadInteger(IReadOnlyDictionary<string, string> fields, string name, out long value)
    {
        value = 0;
        return fields.TryGetValue(name, out var text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryReadFlag(IReadOnlyDictionary<string, string> fields, string name, out bool value)
    {
        // A missing flag is "off": a writer that predates the flag never meant to set it.
        var text = fields.GetValueOrDefault(name, "0");
        value = text == "1";
        return text is "0" or "1";
    }
}
