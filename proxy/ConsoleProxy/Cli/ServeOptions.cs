using System.CommandLine;
using ConsoleProxy.Configuration;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleProxy.Cli;

/// <summary>
/// The `serve` options: every setting of the operator-to-proxy contract (<see cref="ProxySettingsContract"/>),
/// generated from it, so the operator and the proxy name the same options and variables by construction.
/// </summary>
public sealed class ServeOptions
{
    private readonly SettingOptions _options = new(ProxySettingsContract.All);

    public IEnumerable<Option> All => _options.All;

    public void AddTo(Command command) => _options.AddTo(command);

    /// <summary>The settings given (command line or environment), typed.</summary>
    public ProxySettings ReadSettings(ParseResult result) => _options.Read(result);

    /// <summary>The options as one record; <see cref="ProxyOptionsValidator"/> checks it next.</summary>
    public ProxyOptions Read(ParseResult result) => ProxyOptions.FromSettings(ReadSettings(result));
}
