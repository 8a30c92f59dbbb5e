using System.Globalization;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>
/// intstr.IntOrString: a port number or a port name, a count or a percentage. The JSON token type is the value's
/// type, so <c>9090</c> and <c>"http"</c> stay what they are on a round trip (fixture 20/07).
/// </summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString
{
    private IntOrString(int? number, string? text)
    {
        Number = number;
        Text = text;
    }

    /// <summary>The integer form, or null when this holds a string.</summary>
    public int? Number { get; }

    /// <summary>The string form, or null when this holds an integer.</summary>
    public string? Text { get; }

    public bool IsNumber => Number is not null;

    public static IntOrString FromInt32(int value) => new(value, null);

    public static IntOrString FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(null, value);
    }

    public static implicit operator IntOrString(int value) => FromInt32(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? Text ?? string.Empty;
}
