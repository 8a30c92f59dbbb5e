using System.Globalization;

namespace ConsoleOperator.Kube.Client.Serialization;

/// <summary>
/// metav1.Time: RFC 3339 with whole seconds in UTC (<c>2026-11-20T23:28:29Z</c>). The server accepts any fraction and
/// offset and truncates (fixture 14/10); we truncate before sending so what we write is what we read back.
/// </summary>
public sealed class KubernetesTimeConverter : RfcTimeConverter
{
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    protected override string TypeName => "RFC 3339 time";

    protected override string ToText(DateTimeOffset value) => Truncate(value).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>The value the server will store: UTC, whole seconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
