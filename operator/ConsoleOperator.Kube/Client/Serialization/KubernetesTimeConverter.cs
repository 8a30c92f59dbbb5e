using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Serialization;

/// <summary>
/// metav1.Time: RFC 3339 with whole seconds in UTC (<c>2026-11-20T23:28:29Z</c>). The server accepts any fraction and
/// offset and truncates (fixture 14/10); we truncate before sending so what we write is what we read back.
/// </summary>
public sealed class KubernetesTimeConverter : JsonConverter<DateTimeOffset?>
{
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

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
            throw new JsonException($"'{text}' is not an RFC 3339 time");
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

        writer.WriteStringValue(Truncate(value.Value).ToString(Format, CultureInfo.InvariantCulture));
    }

    /// <summary>The value the server will store: UTC, whole seconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
