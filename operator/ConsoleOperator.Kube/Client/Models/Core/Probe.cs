using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>A liveness/readiness/startup probe; the server defaults timeout 1, period 10, success 1, failure 3.</summary>
public sealed record Probe
{
    public HttpGetAction? HttpGet { get; set; }

    public TcpSocketAction? TcpSocket { get; set; }

    public ExecAction? Exec { get; set; }

    public JsonElement? Grpc { get; set; }

    public int? InitialDelaySeconds { get; set; }

    public int? TimeoutSeconds { get; set; }

    public int? PeriodSeconds { get; set; }

    public int? SuccessThreshold { get; set; }

    public int? FailureThreshold { get; set; }

    public long? TerminationGracePeriodSeconds { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
