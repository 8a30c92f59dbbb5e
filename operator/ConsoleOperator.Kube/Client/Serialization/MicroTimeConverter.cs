using System.Globalization;

namespace ConsoleOperator.Kube.Client.Serialization;

/// <summary>
/// metav1.MicroTime (Lease acquire/renewTime, events.k8s.io eventTime). kube-apiserver parses it with the Go layout
/// <c>2006-01-02T15:04:05.000000Z07:00</c>: exactly six fractional digits, or the whole request is a 400 (fixture 13:
/// ".5Z", nine digits and no fraction are all refused). So we always write <c>.ffffff</c> and <c>Z</c>.
/// </summary>
public sealed class MicroTimeConverter : RfcTimeConverter
{
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    protected override string TypeName => "RFC 3339 micro time";

    protected override string ToText(DateTimeOffset value) => ToWireFormat(value);

    /// <summary>The exact text the server accepts; .NET ticks are 100 ns, so the 7th digit is dropped (truncated).</summary>
    public static string ToWireFormat(DateTimeOffset value) =>
        value.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture);
}
