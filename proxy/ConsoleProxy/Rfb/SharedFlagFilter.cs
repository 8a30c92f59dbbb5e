namespace ConsoleProxy.Rfb;

/// <summary>
/// Forces RFB ClientInit's shared-flag to 1 on its way to the VNC server, for every session: a client that asks for
/// exclusive access (shared=0, e.g. some native viewers' default) would make QEMU disconnect every other viewer of the
/// console, so a second viewer or a view-only share would kick out the owner. It follows the client's side of the
/// handshake (ProtocolVersion; for RFB 3.7/3.8 the security type choice, and for VNC authentication the 16-byte
/// response) to find the ClientInit byte, rewrites it in place, then passes everything through; the chunk lengths
/// never change. Streams it cannot follow (RFB 3.3, where the server picks the security type; security types other
/// than None and VNC authentication, whose exchanges it does not parse) are passed through untouched. An inner filter
/// (view-only) then sees the rewritten stream.
/// </summary>
public sealed class SharedFlagFilter : Relay.IInputFilter
{
    private const int ProtocolVersionLength = 12;
    private const int VncAuthenticationResponseLength = 16;

    private readonly Relay.IInputFilter? _inner;
    private readonly byte[] _version = new byte[ProtocolVersionLength];
    private Phase _phase;
    private int _count;

    /// <summary>A filter for the stream from its first byte (the client negotiates security with the VNC server).</summary>
    public SharedFlagFilter(Relay.IInputFilter? inner = null)
        : this(inner, Phase.ProtocolVersion)
    {
    }

    private SharedFlagFilter(Relay.IInputFilter? inner, Phase phase)
    {
        _inner = inner;
        _phase = phase;
    }

    private enum Phase
    {
        ProtocolVersion,
        SecurityChoice,
        AuthenticationResponse,
        ClientInit,
        Done,
    }

    /// <summary>True once ClientInit went by (or the stream cannot be followed) and there is no inner filter: nothing left to rewrite.</summary>
    public bool PassesEverything => _phase == Phase.Done && _inner is null;

    /// <summary>True when the shared-flag was found and set.</summary>
    public bool ForcedShared { get; private set; }

    /// <summary>A filter for a stream whose security handshake the proxy answered itself: its first byte is ClientInit.</summary>
    public static SharedFlagFilter AfterSecurityHandshake(Relay.IInputFilter? inner = null) => new(inner, Phase.ClientInit);

    public int Filter(Span<byte> data)
    {
        var read = 0;
        while (read < data.Length && _phase != Phase.Done)
        {
            switch (_phase)
            {
                case Phase.ProtocolVersion:
                    {
                        var take = Math.Min(ProtocolVersionLength - _count, data.Length - read);
                        data.Slice(read, take).CopyTo(_version.AsSpan(_count));
                        read += take;
                        _count += take;
                        if (_count == ProtocolVersionLength)
                        {
                            _count = 0;
                            _phase = ViewOnlyFilter.ParseMinor(_version) >= 7 ? Phase.SecurityChoice : Phase.Done;
                        }

                        break;
                    }

                case Phase.SecurityChoice:
                    (_phase, _count) = data[read] switch
                    {
                        1 => (Phase.ClientInit, 0),
                        2 => (Phase.AuthenticationResponse, VncAuthenticationResponseLength),
                        _ => (Phase.Done, 0),
                    };
                    read++;
                    break;

                case Phase.AuthenticationResponse:
                    {
                        var take = Math.Min(_count, data.Length - read);
                        read += take;
                        _count -= take;
                        if (_count == 0)
                        {
                            _phase = Phase.ClientInit;
                        }

                        break;
                    }

                case Phase.ClientInit:
                    data[read] = 1;
                    ForcedShared = true;
                    read++;
                    _phase = Phase.Done;
                    break;
            }
        }

        return _inner?.Filter(data) ?? data.Length;
    }
}
