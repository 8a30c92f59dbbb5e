using System.CommandLine;
using System.CommandLine.Help;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleProxy.Cli;

/// <summary>
/// Every option can also come from `CONSOLEPROXY_&lt;NAME&gt;` (upper snake case: `--redis-password`
/// is `CONSOLEPROXY_REDIS_PASSWORD`), which is how the operator configures pods without putting a
/// password on a command line. The command line wins. Values from the environment are turned into
/// ordinary arguments before the final parse, so they get exactly the same parsing and validation;
/// repeatable options take comma- or space-separated lists.
/// </summary>
public static class EnvironmentVariables
{
    public const string Prefix = ProxySetting.EnvironmentPrefix;

    public static string NameFor(Option option) => ProxySetting.VariableFor(option.Name);

    /// <summary>The arguments with the environment's values appended for options the command line left out.</summary>
    public static IReadOnlyList<string> Apply(Command root, IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var first = root.Parse(args);
        var command = first.CommandResult.Command;
        var extra = new List<string>();
        foreach (var option in command.Options)
        {
            if (option is HelpOption or VersionOption)
            {
                continue;
            }

            var given = first.GetResult(option);
            if (given is not null && !given.Implicit)
            {
                continue;
            }

            var value = environment(NameFor(option));
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (option.ValueType == typeof(bool))
            {
                extra.Add(option.Name);
                extra.Add(value.Trim().ToLowerInvariant() is "1" or "yes" or "on" or "true" ? "true" : value.Trim().ToLowerInvariant() is "0" or "no" or "off" or "false" ? "false" : value.Trim());
            }
            else if (option.Arity.MaximumNumberOfValues > 1)
            {
                foreach (var item in value.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    extra.Add(option.Name);
                    extra.Add(item);
                }
            }
            else
            {
                extra.Add(option.Name);
                extra.Add(value.Trim());
            }
        }

        if (extra.Count == 0)
        {
            return args;
        }

        // Options must stay in front of a `--` that ends option parsing.
        var combined = args.ToList();
        var separator = combined.IndexOf("--");
        combined.InsertRange(separator < 0 ? combined.Count : separator, extra);
        return combined;
    }
}
