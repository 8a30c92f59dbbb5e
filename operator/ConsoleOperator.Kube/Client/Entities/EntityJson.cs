using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;

namespace ConsoleOperator.Kube.Client.Entities;

/// <summary>
/// The library's JSON options with one correction for what we send. KubernetesClient 21.0.8 writes a time whose
/// fraction is zero without one ("…:30Z"); kube-apiserver parses a MicroTime (Lease acquire/renewTime, Event
/// eventTime) with the layout "…05.000000Z07:00" and refuses that (fixture 13/04 shows the same refusal of ".5Z").
/// Six digits are always written here; a metav1.Time accepts them too. A copy: the library's options stay as they are.
/// </summary>
internal static class EntityJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        JsonSerializerOptions? copy = null;
        KubernetesJson.AddJsonOptions(library => copy = new JsonSerializerOptions(library));
        copy!.Converters.Insert(0, new MicroTimeDateTimeConverter());
        return copy;
    }

    private sealed class MicroTimeDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime;

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        {
            // An unspecified kind is taken as UTC, as the library does; ticks below a microsecond are dropped.
            var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
            writer.WriteStringValue(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        }
    }
}
