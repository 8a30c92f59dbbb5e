namespace ConsoleProxy.Rfb;

/// <summary>Server-to-client RFB message types (RFC 6143 section 7.6).</summary>
internal static class RfbServerMessage
{
    public const byte FramebufferUpdate = 0;
    public const byte SetColourMapEntries = 1;
    public const byte Bell = 2;
    public const byte ServerCutText = 3;
}
