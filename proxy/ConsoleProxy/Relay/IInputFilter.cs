namespace ConsoleProxy.Relay;

/// <summary>
/// Rewrites what a view-only session's browser sends before it reaches the console: the bytes to forward are moved to
/// the front of the chunk. VNC keeps the messages a viewer needs (<see cref="Rfb.ViewOnlyFilter"/>); a serial console
/// has nothing a viewer needs to send (<see cref="Serial.SerialViewOnlyFilter"/>).
/// </summary>
public interface IInputFilter
{
    /// <summary>Filters one chunk in place (chunks may split messages anywhere); returns how many bytes to forward.</summary>
    int Filter(Span<byte> data);

    /// <summary>True once the filter would forward every byte unchanged, so the relay may go back to its zero-copy path.</summary>
    bool PassesEverything => false;
}
