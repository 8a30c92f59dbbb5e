using System.Diagnostics.CodeAnalysis;

namespace ConsoleProxy.Tokens.Settings;

/// <summary>A setting with its value's type: how its text parses, how a value is written, and its default.</summary>
public sealed class ProxySetting<T> : ProxySetting
    where T : notnull
{
    private readonly Parser parse;
    private readonly Func<T, string> format;
    private readonly Func<T>? defaultValue;
    private readonly string? defaultText;

    public ProxySetting(
        string option,
        ProxySettingShape shape,
        string description,
        Parser parse,
        Func<T, string> format,
        string? helpName = null,
        Func<T>? defaultValue = null,
        string? defaultText = null)
        : base(option, shape, description, helpName)
    {
        this.parse = parse;
        this.format = format;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
    }

    public delegate bool Parser(string text, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? error);

    public bool HasDefault => defaultValue is not null;

    /// <summary>The value when the setting is not given; a factory, since some depend on the machine (the host name).</summary>
    public T Default => defaultValue is { } factory ? factory() : throw new InvalidOperationException($"{Option} has no default");

    public override string? DefaultText => defaultText ?? (defaultValue is { } factory ? format(factory()) : null);

    public bool TryParse(string text, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? error) => parse(text, out value, out error);

    /// <summary>Parses a value; throws <see cref="FormatException"/> naming the option.</summary>
    public T Parse(string text) => parse(text, out var value, out var error) ? value : throw new FormatException($"{Option}: {error}");

    public string Format(T value) => format(value);

    public override bool TryParseValue(string text, out object? value, out string? error)
    {
        var parsed = parse(text, out var typed, out error);
        value = typed;
        return parsed;
    }

    public override string FormatValue(object value) => format((T)value);
}
