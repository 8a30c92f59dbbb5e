using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// What the token store holds for one token hash: where the console is, until when, who owns it.
/// </summary>
/// <param name="Target">The compute node's console endpoint (its VNC server, or its serial port's TCP listener for <see cref="ConsoleKind.Serial"/>).</param>
/// <param name="ExpiresAt">Absolute expiry; the Redis key expires at this instant.</param>
/// <param name="Flags">Single-use, view-only.</param>
/// <param name="Owner">`namespace/name` of the ConsoleToken that minted it; empty when minted by the CLI.</param>
/// <param name="Instance">Free-form VM id for audit (e.g. the VM's UUID); may be empty.</param>
/// <param name="SealedVncPassword">The VM's VNC password, sealed (<see cref="Secrets.VncPasswordSeal"/>); null: none.</param>
/// <param name="Kind">Which console the token opens; records written before kinds existed are <see cref="ConsoleKind.Vnc"/>.</param>
/// <param name="ServerName">The name the VNC server's TLS certificate must carry, when not <see cref="ConsoleTarget.Host"/>; null: the host.</param>
/// <param name="VncUsername">The user name VeNCrypt's X509Plain sends with <see cref="SealedVncPassword"/>; null: none (X509Plain is not chosen).</param>
public sealed record TokenRecord(
    ConsoleTarget Target,
    DateTimeOffset ExpiresAt,
    TokenFlags Flags = TokenFlags.None,
    string Owner = "",
    string Instance = "",
    string? SealedVncPassword = null,
    ConsoleKind Kind = ConsoleKind.Vnc,
    string? ServerName = null,
    string? VncUsername = null)
{
    /// <summary>
    /// Concurrent sessions the token admits (field <c>max_sessions</c>); null: the default, 1 for a single-use token
    /// (it redeems once anyway), unlimited otherwise. Older proxies ignore the field.
    /// </summary>
    public int? MaxSessions { get; init; }

    /// <summary>
    /// The token takes pictures of its VNC console (`GET /screenshot`) and opens no session. Stored in the kind field
    /// as <see cref="TokenRecordFields.ScreenshotKind"/>, never as a field of its own (see there).
    /// </summary>
    public bool IsScreenshotOnly { get; init; }

    public bool IsSingleUse => Flags.HasFlag(TokenFlags.SingleUse);

    public bool IsViewOnly => Flags.HasFlag(TokenFlags.ViewOnly);
}
