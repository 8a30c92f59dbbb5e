using System.Collections.Immutable;

namespace ConsoleProxy.Tokens.Settings;

/// <summary>
/// The value of the operator-to-proxy contract: the settings given, typed. The operator builds one from a
/// ConsoleProxy's spec and writes it (<see cref="ToEnvironment"/>); the proxy's command line reads one; a setting
/// not given is its default (<see cref="ProxySetting{T}.Default"/>), which lives only in the contract.
/// </summary>
public sealed class ProxySettings
{
    private readonly ImmutableDictionary<ProxySetting, object> _values;

    private ProxySettings(ImmutableDictionary<ProxySetting, object> values) => _values = values;

    public static ProxySettings Empty { get; } = new(ImmutableDictionary<ProxySetting, object>.Empty);

    /// <summary>The settings given, in the contract's order.</summary>
    public IEnumerable<ProxySetting> Given => ProxySettingsContract.All.Where(_values.ContainsKey);

    public ProxySettings With<T>(ProxySetting<T> setting, T value)
        where T : notnull => new(_values.SetItem(setting, value));

    /// <summary>
    /// <paramref name="setting"/> given as text, parsed by its own parser (for code that walks the settings untyped,
    /// such as the command line's); throws <see cref="FormatException"/> naming the option.
    /// </summary>
    public ProxySettings WithText(ProxySetting setting, string text)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting.TryParseValue(text, out var value, out var error) && value is not null
            ? new(_values.SetItem(setting, value))
            : throw new FormatException($"{setting.Option}: {error}");
    }

    public bool IsGiven(ProxySetting setting) => _values.ContainsKey(setting);

    /// <summary>The value given, else the default; null (or false, 0) for a setting with neither.</summary>
    public T? Get<T>(ProxySetting<T> setting)
        where T : notnull =>
        _values.TryGetValue(setting, out var value) ? (T)value : setting.HasDefault ? setting.Default : default;

    /// <summary>The `CONSOLEPROXY_*` variables of the settings given, sorted by name so a ConfigMap and its hash are stable.</summary>
    public IReadOnlyDictionary<string, string> ToEnvironment()
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (setting, value) in _values)
        {
            variables[setting.EnvironmentVariable] = setting.FormatValue(value);
        }

        return variables;
    }

    /// <summary>
    /// The settings <paramref name="environment"/> gives (the proxy's reading of a pod's variables, without a command
    /// line); throws <see cref="FormatException"/> naming the variable and the option of a value that does not parse.
    /// </summary>
    public static ProxySettings FromEnvironment(Func<string, string?> environment)
    {
        var builder = ImmutableDictionary.CreateBuilder<ProxySetting, object>();
        foreach (var setting in ProxySettingsContract.All)
        {
            if (environment(setting.EnvironmentVariable) is not { } text || string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (!setting.TryParseValue(text.Trim(), out var value, out var error) || value is null)
            {
                throw new FormatException($"{setting.EnvironmentVariable} ({setting.Option}): {error}");
            }

            builder[setting] = value;
        }

        return new ProxySettings(builder.ToImmutable());
    }
}
