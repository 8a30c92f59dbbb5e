namespace ConsoleProxy.Tokens.Store;

/// <summary>What a token allows beyond opening the console.</summary>
[Flags]
public enum TokenFlags
{
    None = 0,

    /// <summary>The first session consumes the token (atomically: one winner under concurrency).</summary>
    SingleUse = 1,

    /// <summary>The proxy drops every client-to-server RFB message after the handshake.</summary>
    ViewOnly = 2,
}
