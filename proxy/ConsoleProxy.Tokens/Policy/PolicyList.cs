using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace ConsoleProxy.Tokens.Policy;

/// <summary>Parses <see cref="PolicyList{T}"/>s: the one loop every allowed-target and allowed-origin list goes through.</summary>
public static class PolicyList
{
    public static PolicyList<T> Empty<T>()
        where T : IPolicyEntry<T> => EmptyList<T>.Value;

    /// <summary>Parses every entry, reporting each bad one with its index (not only the first).</summary>
    public static bool TryParse<T>(IEnumerable<string> texts, [NotNullWhen(true)] out PolicyList<T>? list, out IReadOnlyList<PolicyEntryProblem> problems)
        where T : IPolicyEntry<T>
    {
        ArgumentNullException.ThrowIfNull(texts);
        var written = ImmutableArray.CreateBuilder<string>();
        var entries = ImmutableArray.CreateBuilder<T>();
        var found = new List<PolicyEntryProblem>();
        foreach (var text in texts)
        {
            if (T.TryParse(text, out var entry, out var error))
            {
                entries.Add(entry);
            }
            else
            {
                found.Add(new PolicyEntryProblem(written.Count, error));
            }

            written.Add(text?.Trim() ?? string.Empty);
        }

        problems = found;
        list = found.Count == 0 ? new PolicyList<T>(written.ToImmutable(), entries.ToImmutable()) : null;
        return list is not null;
    }

    /// <summary>Parses every entry; a <see cref="FormatException"/> lists every bad one, separated by "; ".</summary>
    public static PolicyList<T> Parse<T>(IEnumerable<string> texts)
        where T : IPolicyEntry<T> =>
        TryParse<T>(texts, out var list, out var problems) ? list : throw new FormatException(Describe(problems));

    /// <summary>The problems in one line, as the proxy's start-up error and a variable's error show them.</summary>
    public static string Describe(IEnumerable<PolicyEntryProblem> problems) => string.Join("; ", problems.Select(problem => problem.Message));

    /// <summary>
    /// Builds a list from a collection expression (<c>["10.0.0.0/8:5900"]</c>): code that names entries in its
    /// source writes them as text, and they are parsed as any other. Throws <see cref="FormatException"/> for a bad one.
    /// </summary>
    public static PolicyList<T> Create<T>(ReadOnlySpan<string> texts)
        where T : IPolicyEntry<T> => texts.IsEmpty ? Empty<T>() : Parse<T>(texts.ToArray());

    private static class EmptyList<T>
        where T : IPolicyEntry<T>
    {
        public static readonly PolicyList<T> Value = new([], []);
    }
}
