using System.Buffers.Binary;

namespace ConsoleProxy.Rfb;

/// <summary>
/// Enforces view-only sessions on the client-to-server byte stream. It lets the RFB handshake
/// through (ProtocolVersion, the security type choice, a VNC-authentication response, ClientInit)
/// and afterwards only the messages a viewer needs to see the screen (SetPixelFormat,
/// SetEncodings, FramebufferUpdateRequest, EnableContinuousUpdates, Fence); every message that
/// drives the VM (keys, pointer, clipboard, desktop resize, XVP power actions, QEMU extensions) is
/// dropped. Dropping the screen requests too would leave the viewer black, since a VNC server only
/// sends updates it was asked for. When the stream cannot be followed (an unknown message type,
/// a security type whose exchange we do not parse, RFB 3.3 whose security type the server picks),
/// everything after that point is dropped: failing closed is the only safe choice.
/// </summary>
public sealed class ViewOnlyFilter : Relay.IInputFilter
{
    private const int ProtocolVersionLength = 12;
    private const int VncAuthenticationResponseLength = 16;
    private const byte QemuExtendedKeySubtype = 0;
    private const byte QemuAudioSubtype = 1;

    // The longest prefix needed to learn a message's length (SetPixelFormat, read whole: 20 bytes).
    private readonly byte[] _header = new byte[20];
    private ViewOnlyPhase _phase = ViewOnlyPhase.ProtocolVersion;
    private int _headerLength;
    private int _remaining;
    private bool _forwardCurrent;

    /// <summary>A filter for the stream from its first byte (the browser negotiates security with the VNC server).</summary>
    public ViewOnlyFilter()
    {
    }

    private ViewOnlyFilter(ViewOnlyPhase phase) => _phase = phase;

    /// <summary>
    /// A filter for a stream whose security handshake the proxy answered itself (the RFB security proxy): it starts
    /// at ClientInit.
    /// </summary>
    public static ViewOnlyFilter AfterSecurityHandshake() => new(ViewOnlyPhase.ClientInit);

    /// <summary>True once the stream could not be followed and all further input is dropped.</summary>
    public bool LostTrack => _phase == ViewOnlyPhase.DropAll;

    /// <summary>
    /// Filters one chunk in place: the bytes to forward are moved to the front of
    /// <paramref name="data"/>; returns how many. Chunks may split messages anywhere.
    /// </summary>
    public int Filter(Span<byte> data)
    {
        var write = 0;
        var read = 0;
        while (read < data.Length)
        {
            switch (_phase)
            {
                case ViewOnlyPhase.ProtocolVersion:
                    {
                        var take = Math.Min(ProtocolVersionLength - _headerLength, data.Length - read);
                        data.Slice(read, take).CopyTo(_header.AsSpan(_headerLength));
                        Forward(data, ref write, read, take);
                        read += take;
                        _headerLength += take;
                        if (_headerLength == ProtocolVersionLength)
                        {
                            _headerLength = 0;
                            _phase = ParseMinor(_header.AsSpan(0, ProtocolVersionLength)) >= 7 ? ViewOnlyPhase.SecurityChoice : ViewOnlyPhase.DropAll;
                        }

                        break;
                    }

                case ViewOnlyPhase.SecurityChoice:
                    {
                        var securityType = data[read];
                        Forward(data, ref write, read, 1);
                        read++;
                        (_phase, _remaining) = securityType switch
                        {
                            1 => (ViewOnlyPhase.ClientInit, 0),
                            2 => (ViewOnlyPhase.AuthenticationResponse, VncAuthenticationResponseLength),
                            _ => (ViewOnlyPhase.DropAll, 0),
                        };
                        break;
                    }

                case ViewOnlyPhase.AuthenticationResponse:
                    {
                        var take = Math.Min(_remaining, data.Length - read);
                        Forward(data, ref write, read, take);
                        read += take;
                        _remaining -= take;
                        if (_remaining == 0)
                        {
                            _phase = ViewOnlyPhase.ClientInit;
                        }

                        break;
                    }

                case ViewOnlyPhase.ClientInit:
                    Forward(data, ref write, read, 1);
                    read++;
                    _phase = ViewOnlyPhase.MessageStart;
                    break;

                case ViewOnlyPhase.MessageStart:
                    _forwardCurrent = IsViewerMessage(data[read]);
                    _headerLength = 0;
                    _phase = ViewOnlyPhase.MessageHeader;
                    break;

                case ViewOnlyPhase.MessageHeader:
                    {
                        _header[_headerLength] = data[read];
                        _headerLength++;
                        if (_forwardCurrent)
                        {
                            Forward(data, ref write, read, 1);
                        }

                        read++;
                        var header = _header.AsSpan(0, _headerLength);
                        var needed = HeaderLength(header);
                        if (needed > _headerLength)
                        {
                            break;
                        }

                        // Only dropped message types can be unknown or malformed, so nothing of
                        // this message was forwarded when we give up on following the stream.
                        var total = needed < 0 ? -1 : MessageLength(header);
                        if (total < 0)
                        {
                            _phase = ViewOnlyPhase.DropAll;
                        }
                        else if (total == _headerLength)
                        {
                            _phase = ViewOnlyPhase.MessageStart;
                        }
                        else
                        {
                            _remaining = total - _headerLength;
                            _phase = ViewOnlyPhase.MessageBody;
                        }

                        break;
                    }

                case ViewOnlyPhase.MessageBody:
                    {
                        var take = Math.Min(_remaining, data.Length - read);
                        if (_forwardCurrent)
                        {
                            Forward(data, ref write, read, take);
                        }

                        read += take;
                        _remaining -= take;
                        if (_remaining == 0)
                        {
                            _phase = ViewOnlyPhase.MessageStart;
                        }

                        break;
                    }

                default:
                    return write;
            }
        }

        return write;
    }

    private static void Forward(Span<byte> data, ref int write, int read, int count)
    {
        if (write != read)
        {
            data.Slice(read, count).CopyTo(data[write..]);
        }

        write += count;
    }

    internal static int ParseMinor(ReadOnlySpan<byte> version)
    {
        // "RFB 003.008\n": three ASCII digits at offset 8.
        var minor = 0;
        for (var i = 8; i < 11; i++)
        {
            if (version[i] is < (byte)'0' or > (byte)'9')
            {
                return -1;
            }

            minor = (minor * 10) + (version[i] - '0');
        }

        return version[..4].SequenceEqual("RFB "u8) ? minor : -1;
    }

    private static bool IsViewerMessage(byte type) => type switch
    {
        RfbClientMessage.SetPixelFormat or RfbClientMessage.SetEncodings or RfbClientMessage.FramebufferUpdateRequest
            or RfbClientMessage.EnableContinuousUpdates or RfbClientMessage.ClientFence => true,
        _ => false,
    };

    /// <summary>How many bytes of a message must be seen to know its length; -1 for a type we cannot follow.</summary>
    private static int HeaderLength(ReadOnlySpan<byte> header) => header[0] switch
    {
        RfbClientMessage.SetPixelFormat => 20,
        RfbClientMessage.SetEncodings => 4,
        RfbClientMessage.FramebufferUpdateRequest => 10,
        RfbClientMessage.KeyEvent => 8,
        RfbClientMessage.PointerEvent => 6,
        RfbClientMessage.ClientCutText => 8,
        RfbClientMessage.EnableContinuousUpdates => 10,
        RfbClientMessage.ClientFence => 9,
        RfbClientMessage.Xvp => 4,
        RfbClientMessage.SetDesktopSize => 8,

        // QEMU messages carry a subtype; audio (subtype 1) also an operation before its length is known.
        RfbClientMessage.Qemu => header.Length >= 2 && header[1] == QemuAudioSubtype ? 4 : 2,
        _ => -1,
    };

    /// <summary>The whole message's length from its header; -1 when it cannot be followed.</summary>
    private static int MessageLength(ReadOnlySpan<byte> header) => header[0] switch
    {
        RfbClientMessage.SetEncodings => 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(header[2..])),
        RfbClientMessage.ClientCutText => ClientCutTextLength(BinaryPrimitives.ReadInt32BigEndian(header[4..])),
        RfbClientMessage.ClientFence => 9 + header[8],
        RfbClientMessage.SetDesktopSize => 8 + (16 * header[6]),
        RfbClientMessage.Qemu => header[1] switch
        {
            QemuExtendedKeySubtype => 12,
            QemuAudioSubtype => BinaryPrimitives.ReadUInt16BigEndian(header[2..]) switch
            {
                0 or 1 => 4, // enable, disable
                2 => 10, // set format: sample format, channels, frequency
                _ => -1,
            },
            _ => -1,
        },
        _ => header.Length,
    };

    // A negative length is the extended-clipboard form: its absolute value is the payload size.
    private static int ClientCutTextLength(int length) =>
        length == int.MinValue || Math.Abs(length) > 64 * 1024 * 1024 ? -1 : 8 + Math.Abs(length);
}
