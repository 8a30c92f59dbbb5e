using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Api.Common;

/// <summary>Reads a quantity written as a string or a number; always writes a string.</summary>
public sealed class QuantityJsonConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new Quantity(reader.GetString()!),
            JsonTokenType.Number => new Quantity(reader.TryGetInt64(out var whole)
                ? whole.ToString(CultureInfo.InvariantCulture)
                : reader.GetDecimal().ToString(CultureInfo.InvariantCulture)),
            _ => throw new JsonException($"a quantity must be a string or a number, not {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
