using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Serialization;

/// <summary>
/// Reads any RFC 3339 time the server sends (it normalizes to UTC) and writes the one layout a field's
/// Kubernetes type demands; the derived converters differ only in that layout.
/// </summary>
public abstract class RfcTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    /// <summary>The type's name for error messages (`RFC 3339 time`, `RFC 3339 micro time`).</summary>
    protected abstract string TypeName { get; }

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
            throw new JsonException($"'{text}' is not an {TypeName}");
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

        writer.WriteStringValue(ToText(value.Value));
    }

    /// <summary>The text written for a value, in the layout the server accepts for this type.</summary>
    protected abstract string ToText(DateTimeOffset value);
}
