using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Entities;

/// <summary>
/// The library's JSON options with one correction for what we send. KubernetesClient 21.0.8 writes a time whose
/// fraction is zero without one ("…:30Z"); kube-apiserver parses a MicroTime (Lease acquire/renewTime, Event
/// eventTime, series lastObservedTime) with the layout "…05.000000Z07:00" and refuses that (fixture 13/04 shows the
/// same refusal of ".5Z"). Those fields, and only those, are written with six digits here; a metav1.Time keeps the
/// library's (and the server's) whole-second form, so what we read round-trips unchanged. A copy: the library's
/// options stay as they are.
/// </summary>
public static class EntityJson
{
    /// <summary>How a MicroTime is written: always six fraction digits, UTC.</summary>
    public const string MicroTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    // The MicroTime fields of the kinds the operator writes, by JSON name (the library types them all as DateTime?).
    private static readonly Dictionary<Type, string[]> MicroTimeFields = new()
    {
        [typeof(V1LeaseSpec)] = ["acquireTime", "renewTime"],
        [typeof(Eventsv1Event)] = ["eventTime"],
        [typeof(Eventsv1EventSeries)] = ["lastObservedTime"],
    };

    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>The contract for <typeparamref name="T"/> under <see cref="Options"/>: the library's models and ours alike.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create()
    {
        JsonSerializerOptions? copy = null;
        KubernetesJson.AddJsonOptions(library => copy = new JsonSerializerOptions(library));
        copy!.TypeInfoResolver = (copy.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(WriteMicroTimes);
        copy.MakeReadOnly();
        return copy;
    }

    private static void WriteMicroTimes(JsonTypeInfo type)
    {
        if (!MicroTimeFields.TryGetValue(type.Type, out var names))
        {
            return;
        }

        foreach (var property in type.Properties.Where(property => names.Contains(property.Name, StringComparer.Ordinal)))
        {
            property.CustomConverter = property.PropertyType == typeof(DateTime) ? new MicroTimeConverter() : new NullableMicroTimeConverter();
        }
    }

    // JSON null never reaches a converter of a nullable type (its HandleNull is false): the serializer reads and writes it.
    private sealed class NullableMicroTimeConverter : JsonConverter<DateTime?>
    {
        public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            MicroTimeConverter.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options) =>
            MicroTimeConverter.WriteTo(writer, value!.Value);
    }

    private sealed class MicroTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => WriteTo(writer, value);

        public static DateTime Parse(string text) =>
            DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime;

        public static void WriteTo(Utf8JsonWriter writer, DateTime value)
        {
            // An unspecified kind is taken as UTC, as the library does; ticks below a microsecond are dropped.
            var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
            writer.WriteStringValue(utc.ToString(MicroTimeFormat, CultureInfo.InvariantCulture));
        }
    }
}
