using System.Text.Json;

namespace ConsoleOperator.Kube.Client.Patches;

/// <summary>
/// Writes a JSON Patch document by hand: the serializer's "omit nulls" rule must not drop the value of a
/// <c>test</c>/<c>add</c> whose value is JSON null, and <c>remove</c> must carry no value at all.
/// </summary>
public static class JsonPatchWriter
{
    public static byte[] ToUtf8(IReadOnlyList<JsonPatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            throw new ArgumentException("a JSON Patch needs at least one operation", nameof(operations));
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var operation in operations)
            {
                writer.WriteStartObject();
                writer.WriteString("op", operation.Op);
                if (operation.From is not null)
                {
                    writer.WriteString("from", operation.From);
                }

                writer.WriteString("path", operation.Path);
                if (operation.HasValue)
                {
                    writer.WritePropertyName("value");
                    if (operation.Value is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        operation.Value.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
