using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Tokens;

/// <summary>The VM's VNC endpoint on its compute node (nova: server_proxyclient_address + VNC port).</summary>
public sealed record TargetSpec
{
    [Required]
    [Pattern(@"^([0-9A-Fa-f:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$")]
    [Description("IPv4 or IPv6 address (no brackets) or DNS name.")]
    public string Host { get; init; } = "";

    [Required]
    [Range(1, 65535)]
    public int Port { get; init; }

    [Pattern(@"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")]
    [Description("The name the VNC server's TLS certificate carries when it is not host (e.g. the node's DNS name while host is its IP); the proxy checks the certificate against it (VeNCrypt, tls).")]
    public string? ServerName { get; init; }
}
