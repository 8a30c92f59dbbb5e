namespace ConsoleProxy.Tokens.Settings;

/// <summary>
/// One setting of `consoleproxy serve`, as both sides of the contract see it: the option the proxy's command line
/// takes, the `CONSOLEPROXY_*` variable the operator writes, its shape, default and help text. The typed half
/// (parser, formatter, default value) is <see cref="ProxySetting{T}"/>.
/// </summary>
public abstract class ProxySetting
{
    public const string EnvironmentPrefix = "CONSOLEPROXY_";

    /// <summary>
    /// Separator of a repeatable option's values in its one variable. Neither origins, kinds, schemes nor
    /// `CIDR[:PORT[-PORT]]` targets can contain a comma.
    /// </summary>
    public const char ListSeparator = ',';

    private protected ProxySetting(string option, ProxySettingShape shape, string description, string? helpName)
    {
        if (!option.StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{option}' is not a long option (--name)", nameof(option));
        }

        Option = option;
        Shape = shape;
        Description = description;
        HelpName = helpName;
        EnvironmentVariable = VariableFor(option);
    }

    /// <summary>The command-line option, `--idle-timeout`.</summary>
    public string Option { get; }

    /// <summary>The variable standing for <see cref="Option"/>, `CONSOLEPROXY_IDLE_TIMEOUT`.</summary>
    public string EnvironmentVariable { get; }

    public ProxySettingShape Shape { get; }

    /// <summary>What `serve --help` says the setting does.</summary>
    public string Description { get; }

    /// <summary>The value's placeholder in help (`HOST:PORT`); null: the option's own name.</summary>
    public string? HelpName { get; }

    /// <summary>The default as a person would type it (`30s`), shown in help; null when there is none.</summary>
    public abstract string? DefaultText { get; }

    /// <summary>
    /// A duration whose zero switches its feature off (`--idle-timeout 0`); other durations must be longer than 0.
    /// Only meaningful for <see cref="ProxySettingShape.Duration"/>.
    /// </summary>
    public bool ZeroDisables { get; init; }

    /// <summary>Every option `--x-y` is also the variable `CONSOLEPROXY_X_Y`.</summary>
    public static string VariableFor(string option) =>
        EnvironmentPrefix + option.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    /// <summary>Parses <paramref name="text"/> as this setting's value, untyped (for code that walks every setting).</summary>
    public abstract bool TryParseValue(string text, out object? value, out string? error);

    /// <summary>The text of <paramref name="value"/> (of this setting's type) in its variable.</summary>
    public abstract string FormatValue(object value);

    public override string ToString() => Option;
}
