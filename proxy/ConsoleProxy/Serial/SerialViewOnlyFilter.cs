using ConsoleProxy.Relay;

namespace ConsoleProxy.Serial;

/// <summary>
/// View-only for a serial console: every byte from the browser is dropped. A serial port has no handshake or screen
/// request a viewer must send; anything typed would reach the guest's shell or boot loader.
/// </summary>
public sealed class SerialViewOnlyFilter : IInputFilter
{
    public int Filter(Span<byte> data) => 0;
}
