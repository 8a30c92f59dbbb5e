using System.Globalization;

namespace TestKit.FakeApiServer;

/// <summary>
/// metav1.MicroTime as kube-apiserver decodes it: Go's layout <c>2006-01-02T15:04:05.000000Z07:00</c>, which
/// demands exactly six fractional digits. Errors reproduce Go's <c>time.Parse</c> wording.
/// </summary>
public static class MicroTime
{
    public const string Layout = "2006-01-02T15:04:05.000000Z07:00";

    private static readonly string[] LayoutElements = ["2006", "-", "01", "-", "02", "T", "15", ":", "04", ":", "05", ".000000", "Z07:00"];

    /// <summary>Parses and normalizes to UTC <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>; throws <see cref="FormatException"/> with Go's message.</summary>
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var rest = value;
        var numbers = new Dictionary<string, int>();
        var fraction = 0;
        var offset = TimeSpan.Zero;
        foreach (var element in LayoutElements)
        {
            switch (element)
            {
                case "2006" or "01" or "02" or "15" or "04" or "05":
                    {
                        var width = element.Length;
                        if (rest.Length < width || !rest[..width].All(char.IsAsciiDigit))
                        {
                            throw Error(value, rest, element);
                        }

                        numbers[element] = int.Parse(rest[..width], CultureInfo.InvariantCulture);
                        rest = rest[width..];
                        break;
                    }

                case ".000000":
                    if (rest.Length < 7 || rest[0] != '.' || !rest[1..7].All(char.IsAsciiDigit))
                    {
                        throw Error(value, rest, element);
                    }

                    fraction = int.Parse(rest[1..7], CultureInfo.InvariantCulture);
                    rest = rest[7..];
                    break;
                case "Z07:00":
                    if (rest.StartsWith('Z'))
                    {
                        rest = rest[1..];
                    }
                    else if (rest.Length >= 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':'
                        && rest[1..3].All(char.IsAsciiDigit) && rest[4..6].All(char.IsAsciiDigit))
                    {
                        var sign = rest[0] == '-' ? -1 : 1;
                        offset = sign * new TimeSpan(int.Parse(rest[1..3], CultureInfo.InvariantCulture), int.Parse(rest[4..6], CultureInfo.InvariantCulture), 0);
                        rest = rest[6..];
                    }
                    else
                    {
                        throw Error(value, rest, element);
                    }

                    break;
                default:
                    if (!rest.StartsWith(element, StringComparison.Ordinal))
                    {
                        throw Error(value, rest, element);
                    }

                    rest = rest[element.Length..];
                    break;
            }
        }

        if (rest.Length > 0)
        {
            throw new FormatException($"parsing time \"{value}\": extra text: \"{rest}\"");
        }

        DateTimeOffset parsed;
        try
        {
            parsed = new DateTimeOffset(numbers["2006"], numbers["01"], numbers["02"], numbers["15"], numbers["04"], numbers["05"], offset)
                .AddTicks(fraction * 10L);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new FormatException($"parsing time \"{value}\": value out of range");
        }

        return parsed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }

    private static FormatException Error(string value, string rest, string element) =>
        new($"parsing time \"{value}\" as \"{Layout}\": cannot parse \"{rest}\" as \"{element}\"");
}
