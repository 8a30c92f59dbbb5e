using ConsoleProxy.Tokens.Settings;

namespace ConsoleProxy.Tokens.Tests.Settings;

public sealed class DurationTests
{
    [Theory]
    [InlineData("600", 600)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("250ms", 0.25)]
    [InlineData("2d", 172800)]
    [InlineData("0", 0)]
    [InlineData("off", 0)]
    [InlineData(" 10S ", 10)]
    public void Durations_read_as_seconds_or_with_units(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("5x")]
    [InlineData("m5")]
    [InlineData("-3")]
    [InlineData("99999d")]
    public void Malformed_durations_are_refused_with_a_reason(string text)
    {
        Assert.False(Duration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData(600, "10m")]
    [InlineData(30, "30s")]
    [InlineData(7200, "2h")]
    [InlineData(0, "0")]
    public void Durations_format_with_the_largest_exact_unit(int seconds, string expected) =>
        Assert.Equal(expected, Duration.Format(TimeSpan.FromSeconds(seconds)));
}
