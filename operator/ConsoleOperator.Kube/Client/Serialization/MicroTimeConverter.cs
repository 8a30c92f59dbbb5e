using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Serialization;

/// <summary>
/// metav1.MicroTime (Lease acquire/renewTime, events.k8s.io eventTime). kube-apiserver parses it with the Go layout
/// <c>2006-01-02T15:04:05.000000Z07:00</c>: exactly six fractional digits, or the whole request is a 400 (fixture 13:
/// ".5Z", nine digits and no fraction are all refused). So we always write <c>.ffffff</c> and <c>Z</c>.
/// </summary>
public sealed class MicroTimeConverter : JsonConverter<DateTimeOffset?>
{
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new JsonException($"'{text}' is not an RFC 3339 micro time");
        }

        return value.ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(ToWireFormat(value.Value));
    }

    /// <summary>The exact text the server accepts; .NET ticks are 100 ns, so the 7th digit is dropped (truncated).</summary>
    public static string ToWireFormat(DateTimeOffset value) =>
        value.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture);
}
