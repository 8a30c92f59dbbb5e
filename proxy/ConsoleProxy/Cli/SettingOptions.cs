using System.CommandLine;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleProxy.Cli;

/// <summary>
/// The command line's options generated from the settings contract (<see cref="ProxySettingsContract"/>): the option,
/// its variable, help and default come from the setting, so `serve` cannot list an option the operator does not know.
/// </summary>
internal sealed class SettingOptions
{
    private readonly IReadOnlyList<(ProxySetting Setting, Option Option)> _options;

    public SettingOptions(IEnumerable<ProxySetting> settings) => _options = settings.Select(setting => (setting, Create(setting))).ToArray();

    public IEnumerable<Option> All => _options.Select(pair => pair.Option);

    public void AddTo(Command command)
    {
        foreach (var (_, option) in _options)
        {
            command.Add(option);
        }
    }

    /// <summary>
    /// The settings the command line or the environment gave; the rest stay unset, so their defaults are the
    /// contract's. Call on a result without errors: the options' own validation has run.
    /// </summary>
    public ProxySettings Read(ParseResult result)
    {
        var settings = ProxySettings.Empty;
        foreach (var (setting, option) in _options)
        {
            if (result.GetResult(option) is not { Implicit: false })
            {
                continue;
            }

            settings = setting switch
            {
                ProxySetting<TimeSpan> duration => settings.With(duration, CliOption.ReadDuration(result, (Option<string>)option)),
                ProxySetting<IReadOnlyList<string>> list => settings.With(list, result.GetValue((Option<string[]>)option) ?? []),
                { Shape: ProxySettingShape.List } => settings.WithText(setting, string.Join(ProxySetting.ListSeparator, result.GetValue((Option<string[]>)option) ?? [])),
                ProxySetting<int> integer => settings.With(integer, result.GetValue((Option<int>)option)),
                ProxySetting<bool> flag => settings.With(flag, result.GetValue((Option<bool>)option)),
                ProxySetting<string> text => result.GetValue((Option<string>)option) is { } value ? settings.With(text, value) : settings,
                _ => throw new InvalidOperationException($"{setting.Option} has a value type the command line does not read"),
            };
        }

        return settings;
    }

    private static Option Create(ProxySetting setting) => setting switch
    {
        ProxySetting<TimeSpan> duration => CliOption.Duration(setting.Option, setting.Description, duration.DefaultText ?? "0", duration.ZeroDisables),
        ProxySetting<IReadOnlyList<string>> list => List(list),
        { Shape: ProxySettingShape.List } => Policies(setting),
        ProxySetting<int> integer => CliOption.Create<int>(setting.Option, setting.Description, integer.HasDefault ? () => integer.Default : null, setting.HelpName),
        ProxySetting<bool> => CliOption.Create<bool>(setting.Option, setting.Description),
        ProxySetting<string> text => CliOption.Create<string>(setting.Option, setting.Description, text.HasDefault ? () => text.Default : null, setting.HelpName),
        _ => throw new ArgumentException($"{setting.Option} has a value type the command line does not know", nameof(setting)),
    };

    /// <summary>
    /// A typed list (allowed targets, origins): its entries are checked by the setting's own parser as the command
    /// line is read, so a bad one is a usage error naming the option and the entry.
    /// </summary>
    private static Option<string[]> Policies(ProxySetting setting)
    {
        var option = CliOption.Repeatable(setting.Option, setting.HelpName ?? setting.Option.TrimStart('-').ToUpperInvariant(), setting.Description);
        option.Validators.Add(result =>
        {
            var text = string.Join(ProxySetting.ListSeparator, result.Tokens.Select(token => token.Value));
            if (!setting.TryParseValue(text, out _, out var error))
            {
                result.AddError($"{setting.Option}: {error}");
            }
        });
        return option;
    }

    /// <summary>A list with a default (`--kinds`) needs a value when given; the others may be repeated or left out.</summary>
    private static Option<string[]> List(ProxySetting<IReadOnlyList<string>> setting)
    {
        var option = CliOption.Repeatable(setting.Option, setting.HelpName ?? setting.Option.TrimStart('-').ToUpperInvariant(), setting.Description);
        if (setting.HasDefault)
        {
            option.Arity = ArgumentArity.OneOrMore;
            option.DefaultValueFactory = _ => [.. setting.Default];
        }

        return option;
    }
}
