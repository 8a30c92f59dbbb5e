using System.Diagnostics.CodeAnalysis;

namespace ConsoleProxy.Tokens.Settings;

/// <summary>A setting with its value's type: how its text parses, how a value is written, and its default.</summary>
public sealed class ProxySetting<T> : ProxySetting
    where T : notnull
{
    private readonly Parser _parse;
    private readonly Func<T, string> _format;
    private readonly Func<T>? _defaultValue;
    private readonly string? _defaultText;

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
        _parse = parse;
        _format = format;
        _defaultValue = defaultValue;
        _defaultText = defaultText;
    }

    public delegate bool Parser(string text, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? error);

    public bool HasDefault => _defaultValue is not null;

    /// <summary>The value when the setting is not given; a factory, since some depend on the machine (the host name).</summary>
    public T Default => _defaultValue is { } factory ? factory() : throw new InvalidOperationException($"{Option} has no default");

    public override string? DefaultText => _defaultText ?? (_defaultValue is { } factory ? _format(factory()) : null);

    public bool TryParse(string text, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? error) => _parse(text, out value, out error);

    /// <summary>Parses a value; throws <see cref="FormatException"/> naming the option.</summary>
    public T Parse(string text) => _parse(text, out var value, out var error) ? value : throw new FormatException($"{Option}: {error}");

    public string Format(T value) => _format(value);

    public override bool TryParseValue(string text, out object? value, out string? error)
    {
        var parsed = _parse(text, out var typed, out error);
        value = typed;
        return parsed;
    }

    public override string FormatValue(object value) => _format((T)value);
}
