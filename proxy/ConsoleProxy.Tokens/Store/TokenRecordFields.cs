namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The field names of a token hash in schema version 1 (see <see cref="TokenKeySchema"/>). The Lua
/// scripts of <see cref="RedisTokenStore"/> read the same names, so they are constants, not strings
/// scattered through the code.
/// </summary>
public static class TokenRecordFields
{
    public const string Version = "v";
    public const string Host = "host";
    public const string Port = "port";
    public const string Owner = "owner";
    public const string Instance = "instance";
    public const string SingleUse = "single_use";
    public const string ViewOnly = "view_only";
    public const string ExpiresAt = "expires_at";

    /// <summary>Optional: the sealed VNC password (older readers ignore the field, as they ignore any they do not know).</summary>
    public const string VncPassword = "vnc_password";

    /// <summary>
    /// Optional: the console kind (`serial`, `spice`); absent means `vnc`, so VNC records stay exactly what every
    /// reader already understands.
    /// </summary>
    public const string Kind = "kind";

    /// <summary>
    /// The <see cref="Kind"/> value of a screenshot-only VNC token. It rides in the kind field on purpose: a proxy that
    /// predates screenshot-only tokens ignores a field it does not know (it would open a console session with a new
    /// `screenshot_only` field set), but it refuses a record whose kind it cannot read, so during a rolling upgrade an
    /// old proxy denies such a token outright instead of opening the console it was not minted for.
    /// </summary>
    public const string ScreenshotKind = "vnc-screenshot";

    /// <summary>
    /// Optional: the name the VNC server's certificate must carry when it is not the target host (e.g. the node's DNS
    /// name while the host is its IP); absent means the host.
    /// </summary>
    public const string ServerName = "server_name";

    /// <summary>
    /// Optional: the user name VeNCrypt's X509Plain sends, with the sealed <see cref="VncPassword"/>, inside the
    /// verified TLS session. A login name, not a secret, so it is stored as it is; older readers ignore the field.
    /// </summary>
    public const string VncUsername = "vnc_username";

    /// <summary>Optional: concurrent sessions the token admits (a positive decimal); absent means the default (1 for single-use, else unlimited).</summary>
    public const string MaxSessions = "max_sessions";
}
