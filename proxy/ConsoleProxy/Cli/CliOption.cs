using System.CommandLine;

namespace ConsoleProxy.Cli;

/// <summary>Builds options whose help names their environment variable and default.</summary>
internal static class CliOption
{
    public static Option<T> Create<T>(string name, string description, Func<T>? defaultValue = null, string? helpName = null)
    {
        var option = new Option<T>(name);
        if (helpName is not null)
        {
            option.HelpName = helpName;
        }

        option.Description = $"{description} [env: {EnvironmentVariables.NameFor(option)}]";
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue();
        }

        return option;
    }

    /// <summary>A duration option: help shows the default as typed (`30s`), the value is checked at parse time.</summary>
    public static Option<string> Duration(string name, string description, string defaultValue, bool zeroDisables)
    {
        var option = Create(name, $"{description} ({Tokens.Settings.Duration.Syntax}{(zeroDisables ? "; 0 or off disables" : string.Empty)})", () => defaultValue);
        option.HelpName = "DURATION";
        option.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : defaultValue;
            if (!Tokens.Settings.Duration.TryParse(text, out var value, out var error))
            {
                result.AddError($"{name}: {error}");
            }
            else if (!zeroDisables && value.Value <= TimeSpan.Zero)
            {
                result.AddError($"{name}: must be longer than 0");
            }
        });
        return option;
    }

    /// <summary>A repeatable option (`--allowed-origin A --allowed-origin B`).</summary>
    public static Option<string[]> Repeatable(string name, string helpName, string description)
    {
        var option = Create<string[]>(name, description);
        option.HelpName = helpName;
        option.Arity = ArgumentArity.ZeroOrMore;
        return option;
    }

    /// <summary>Reads a duration option whose validator already accepted it.</summary>
    public static TimeSpan ReadDuration(ParseResult result, Option<string> option)
    {
        return Tokens.Settings.Duration.TryParse(result.GetValue(option), out var value, out var error)
            ? value.Value
            : throw new InvalidOperationException($"{option.Name} passed validation but does not parse: {error}");
    }
}
