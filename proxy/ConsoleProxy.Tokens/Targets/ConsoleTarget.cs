using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace ConsoleProxy.Tokens.Targets;

/// <summary>
/// A VNC endpoint on a compute node: host (IPv4, IPv6 or DNS name) and TCP port. Text form is
/// `host:port`, with IPv6 in brackets (`[2001:db8::5]:5901`): websockify's bare split on ':' breaks
/// IPv6, this does not.
/// </summary>
public sealed record ConsoleTarget
{
    public ConsoleTarget(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Host = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        Port = port;
    }

    /// <summary>The host without brackets.</summary>
    public string Host { get; }

    public int Port { get; }

    public bool IsIPv6 => IPAddress.TryParse(Host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    public static ConsoleTarget Parse(string text) =>
        TryParse(text, out var target, out var error) ? target : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ConsoleTarget? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "target is empty; expected HOST:PORT";
            return false;
        }

        text = text.Trim();
        string host;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = $"target '{text}' is not [IPV6]:PORT";
                return false;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"target '{text}' has '{host}' in brackets, which is not an IPv6 address";
                return false;
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0)
            {
                error = $"target '{text}' has no port; expected HOST:PORT";
                return false;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                error = $"target '{text}' looks like a bare IPv6 address; write it as [ADDRESS]:PORT";
                return false;
            }
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"target '{text}' has port '{portText}'; expected 1-65535";
            return false;
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            error = $"target '{text}' has host '{host}', which is neither an IP address nor a DNS name";
            return false;
        }

        target = new ConsoleTarget(host, port);
        error = null;
        return true;
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
