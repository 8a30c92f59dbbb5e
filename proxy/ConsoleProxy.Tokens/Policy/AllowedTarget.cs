using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ConsoleProxy.Tokens.Policy;

/// <summary>
/// One entry of a target policy: a network (CIDR) and the TCP ports a console may be dialled on.
/// The text form is shared by the proxy's `--allowed-target` option and the operator's
/// `ConsoleProxy.spec.tokens.allowedTargets`:
/// <list type="bullet">
/// <item>`10.0.0.0/8`, `10.0.0.0/8:5900`, `10.0.0.0/8:5900-5999` (no port means every port);</item>
/// <item>a bare address is a /32 (or /128): `10.0.0.5`, `10.0.0.5:5900`;</item>
/// <item>IPv6: `2001:db8::/32`, `2001:db8::/32:5900-5999`, `[2001:db8::]/32:5900-5999`, `[::1]:5900`,
///   `::1`. A bare IPv6 address without a prefix never carries a port (`::1:5900` is an address);
///   put it in brackets to add one.</item>
/// </list>
/// Only addresses, never DNS names: the proxy judges the address it actually dials, after
/// resolution, so a name that later resolves elsewhere (DNS rebinding) cannot slip through.
/// A network with host bits set beyond its prefix (`10.0.0.5/8`) is refused rather than masked:
/// in a security policy it is far more likely a typo for `/32` than a wish to open the whole /8.
/// </summary>
public sealed record AllowedTarget : IPolicyEntry<AllowedTarget>
{
    private readonly byte[] _networkBytes;

    private AllowedTarget(IPAddress network, int prefixLength, PortRange ports)
    {
        Network = network;
        PrefixLength = prefixLength;
        Ports = ports;
        _networkBytes = network.GetAddressBytes();
    }

    /// <summary>The network address (host bits zero), IPv4 or IPv6.</summary>
    public IPAddress Network { get; }

    public int PrefixLength { get; }

    public PortRange Ports { get; }

    /// <summary>
    /// Wider than a /8 (IPv4) or a /32 (IPv6): such an entry reaches far more than any console network (a /0 is
    /// the cloud metadata service, the Kubernetes API and every node), so a policy takes it only when asked
    /// to by name (<see cref="TargetPolicy.Parse(IEnumerable{string}, bool)"/>).
    /// </summary>
    public bool IsWide => PrefixLength < (Network.AddressFamily == AddressFamily.InterNetworkV6 ? WidestIPv6Prefix : WidestIPv4Prefix);

    /// <summary>The shortest IPv4 prefix a policy takes without an explicit opt-in to wide networks.</summary>
    public const int WidestIPv4Prefix = 8;

    /// <summary>The shortest IPv6 prefix a policy takes without an explicit opt-in to wide networks.</summary>
    public const int WidestIPv6Prefix = 32;

    /// <summary>Whether every address of <paramref name="other"/> lies in this network (ports aside).</summary>
    public bool Covers(AllowedTarget other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Network.AddressFamily == Network.AddressFamily
            && other.PrefixLength >= PrefixLength
            && PrefixMatches(_networkBytes, other._networkBytes, PrefixLength);
    }

    public static AllowedTarget Parse(string text) =>
        TryParse(text, out var target, out var error) ? target : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out AllowedTarget? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "allowed target is empty; expected CIDR[:PORT[-PORT]], e.g. 10.0.0.0/8:5900-5999";
            return false;
        }

        text = text.Trim();
        if (!TrySplit(text, out var addressText, out var prefixText, out var portText, out var problem)
            || !TryParseAddress(addressText, out var address, out problem)
            || !TryParsePrefix(prefixText, address, out var prefixLength, out problem)
            || !TryParsePorts(portText, out var ports, out problem))
        {
            error = $"allowed target '{text}': {problem}";
            return false;
        }

        // One family per entry: an IPv4-mapped IPv6 network is the IPv4 network it maps.
        if (address.IsIPv4MappedToIPv6)
        {
            if (prefixLength < 96)
            {
                error = $"allowed target '{text}': an IPv4-mapped network needs a prefix of /96 or longer";
                return false;
            }

            address = address.MapToIPv4();
            prefixLength -= 96;
        }

        var network = Mask(address, prefixLength);
        if (!network.Equals(address))
        {
            error = $"allowed target '{text}': the address has bits set beyond the /{prefixLength.ToString(CultureInfo.InvariantCulture)} prefix; "
                + $"write the network {network}/{prefixLength.ToString(CultureInfo.InvariantCulture)}, or leave out the prefix for the single address";
            return false;
        }

        target = new AllowedTarget(network, prefixLength, ports);
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="address"/> lies in the network and <paramref name="port"/> in the ports.</summary>
    public bool Allows(IPAddress address, int port) => Ports.Contains(port) && Contains(address);

    /// <summary>Whether <paramref name="address"/> lies in the network, whatever the port.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);

        // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; judge them as the IPv4 they are.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != Network.AddressFamily)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        return PrefixMatches(_networkBytes, bytes[..length], PrefixLength);
    }

    /// <summary>The canonical text: always with the prefix, IPv6 in brackets when a port follows.</summary>
    public override string ToString()
    {
        var prefix = PrefixLength.ToString(CultureInfo.InvariantCulture);
        if (Ports.IsAll)
        {
            return $"{Network}/{prefix}";
        }

        return Network.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{Network}]/{prefix}:{Ports}"
            : $"{Network}/{prefix}:{Ports}";
    }

    public bool Equals(AllowedTarget? other) =>
        other is not null && Network.Equals(other.Network) && PrefixLength == other.PrefixLength && Ports == other.Ports;

    public override int GetHashCode() => HashCode.Combine(Network, PrefixLength, Ports);

    private static bool TrySplit(
        string text,
        out string address,
        out string? prefix,
        out string? ports,
        [NotNullWhen(false)] out string? error)
    {
        prefix = null;
        ports = null;
        error = null;
        string rest;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                address = string.Empty;
                error = "'[' has no closing ']'";
                return false;
            }

            address = text[1..close];
            if (!address.Contains(':', StringComparison.Ordinal))
            {
                error = $"'{address}' is in brackets, which are only for IPv6 addresses";
                return false;
            }

            rest = text[(close + 1)..];
            if (rest.Length > 0 && rest[0] is not ('/' or ':'))
            {
                error = $"expected '/PREFIX' or ':PORT' after ']', found '{rest}'";
                return false;
            }
        }
        else
        {
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                address = text[..slash];
                rest = text[slash..];
            }
            else
            {
                // Without a prefix, exactly one colon separates an IPv4 address from its port;
                // several colons are a bare IPv6 address, which takes no port.
                var colons = text.Count(c => c == ':');
                var colon = colons == 1 ? text.IndexOf(':', StringComparison.Ordinal) : -1;
                address = colon < 0 ? text : text[..colon];
                rest = colon < 0 ? string.Empty : text[colon..];
            }
        }

        if (rest.StartsWith('/'))
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            prefix = colon < 0 ? rest[1..] : rest[1..colon];
            rest = colon < 0 ? string.Empty : rest[colon..];
        }

        if (rest.StartsWith(':'))
        {
            ports = rest[1..];
        }

        return true;
    }

    private static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (text.Contains('%', StringComparison.Ordinal))
        {
            error = $"'{text}' has a scope id (%...), which has no meaning in a policy";
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                error = null;
                return true;
            }

            error = $"'{text}' is not an IPv6 address";
            return false;
        }

        // IPAddress.TryParse also takes "10", "10.1" and "0x0a.0.0.1"; in a policy only the
        // dotted quad is unambiguous.
        var parts = text.Split('.');
        if (parts.Length == 4 && parts.All(IsOctet) && IPAddress.TryParse(text, out address))
        {
            error = null;
            return true;
        }

        error = $"'{text}' is not an IPv4 address (four numbers 0-255, like 10.0.0.0) or an IPv6 address; DNS names are not allowed";
        return false;
    }

    private static bool IsOctet(string part) =>
        part.Length is >= 1 and <= 3
        && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
        && value <= 255;

    private static bool TryParsePrefix(string? text, IPAddress address, out int prefixLength, [NotNullWhen(false)] out string? error)
    {
        var maximum = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        prefixLength = maximum;
        error = null;
        if (text is null)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength) && prefixLength <= maximum)
        {
            return true;
        }

        var family = maximum == 128 ? "IPv6" : "IPv4";
        error = $"prefix length '/{text}' is not a number from 0 to {maximum.ToString(CultureInfo.InvariantCulture)} ({family})";
        return false;
    }

    private static bool TryParsePorts(string? text, out PortRange ports, [NotNullWhen(false)] out string? error)
    {
        if (text is null)
        {
            ports = PortRange.All;
            error = null;
            return true;
        }

        return PortRange.TryParse(text, out ports, out error);
    }

    private static IPAddress Mask(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    private static bool PrefixMatches(ReadOnlySpan<byte> network, ReadOnlySpan<byte> address, int prefixLength)
    {
        var whole = prefixLength / 8;
        if (!network[..whole].SequenceEqual(address[..whole]))
        {
            return false;
        }

        var remaining = prefixLength % 8;
        if (remaining == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remaining));
        return (network[whole] & mask) == (address[whole] & mask);
    }
}
