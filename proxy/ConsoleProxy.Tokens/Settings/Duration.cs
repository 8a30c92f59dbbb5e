using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ConsoleProxy.Tokens.Settings;

/// <summary>
/// Duration values of the proxy's settings (command line and CONSOLEPROXY_* variables): a bare number is seconds (nova's and websockify's unit:
/// `600`), or numbers with units `ms`, `s`, `m`, `h`, `d`, combinable (`30s`, `5m`, `1h30m`,
/// `1.5h`), or `0`/`off` where a limit can be switched off.
/// </summary>
public static class Duration
{
    public const string Syntax = "seconds or 30s, 5m, 1h30m";

    public static bool TryParse(string? text, [NotNullWhen(true)] out TimeSpan? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"a duration is empty; expected {Syntax}";
            return false;
        }

        var span = text.Trim().ToLowerInvariant();
        if (span is "off" or "none")
        {
            value = TimeSpan.Zero;
            error = null;
            return true;
        }

        if (double.TryParse(span, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bareSeconds))
        {
            return Finish(TimeSpan.FromSeconds(bareSeconds), text, out value, out error);
        }

        var total = TimeSpan.Zero;
        var position = 0;
        while (position < span.Length)
        {
            var numberStart = position;
            while (position < span.Length && (char.IsAsciiDigit(span[position]) || span[position] == '.'))
            {
                position++;
            }

            var unitStart = position;
            while (position < span.Length && char.IsAsciiLetter(span[position]))
            {
                position++;
            }

            if (numberStart == unitStart || unitStart == position
                || !double.TryParse(span.AsSpan(numberStart, unitStart - numberStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                error = $"'{text}' is not a duration; expected {Syntax}";
                return false;
            }

            TimeSpan? part = span[unitStart..position] switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (part is null)
            {
                error = $"'{text}' has unknown unit '{span[unitStart..position]}'; use ms, s, m, h or d";
                return false;
            }

            total += part.Value;
        }

        return Finish(total, text, out value, out error);
    }

    /// <summary>How a duration reads in help and logs: the largest exact unit (`600s` reads `10m`).</summary>
    public static string Format(TimeSpan value) => value switch
    {
        { Ticks: 0 } => "0",
        _ when value.Ticks % TimeSpan.TicksPerHour == 0 => $"{(long)value.TotalHours}h",
        _ when value.Ticks % TimeSpan.TicksPerMinute == 0 => $"{(long)value.TotalMinutes}m",
        _ when value.Ticks % TimeSpan.TicksPerSecond == 0 => $"{(long)value.TotalSeconds}s",
        _ => $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms",
    };

    private static bool Finish(TimeSpan total, string text, [NotNullWhen(true)] out TimeSpan? value, [NotNullWhen(false)] out string? error)
    {
        if (total > TimeSpan.FromDays(3650))
        {
            value = null;
            error = $"'{text}' is longer than ten years";
            return false;
        }

        value = total;
        error = null;
        return true;
    }
}
