using Microsoft.Extensions.Options;

namespace ConsoleOperator.Hosting;

/// <summary>
/// Serves one value built elsewhere (the command line's flags, as an immutable record) through the options system,
/// so <c>IOptions&lt;T&gt;</c> consumers get it and every <see cref="IValidateOptions{TOptions}"/> (with ValidateOnStart)
/// checks it as it would any options. The default factory cannot: it creates a new instance and mutates it.
/// </summary>
public sealed class GivenOptionsFactory<TOptions>(TOptions value, IEnumerable<IValidateOptions<TOptions>> validators) : IOptionsFactory<TOptions>
    where TOptions : class
{
    public TOptions Create(string name)
    {
        var failures = validators.Select(validator => validator.Validate(name, value)).Where(result => result.Failed).SelectMany(result => result.Failures ?? []).ToList();
        return failures.Count == 0 ? value : throw new OptionsValidationException(name, typeof(TOptions), failures);
    }
}
