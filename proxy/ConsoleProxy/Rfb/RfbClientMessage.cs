namespace ConsoleProxy.Rfb;

/// <summary>Client-to-server RFB message types (RFC 6143 section 7.5 and the community registry).</summary>
internal static class RfbClientMessage
{
    public const byte SetPixelFormat = 0;
    public const byte SetEncodings = 2;
    public const byte FramebufferUpdateRequest = 3;
    public const byte KeyEvent = 4;
    public const byte PointerEvent = 5;
    public const byte ClientCutText = 6;
    public const byte EnableContinuousUpdates = 150;
    public const byte ClientFence = 248;
    public const byte Xvp = 250;
    public const byte SetDesktopSize = 251;
    public const byte Qemu = 255;
}
