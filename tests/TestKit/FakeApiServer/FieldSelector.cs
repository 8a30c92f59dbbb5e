using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// A parsed <c>fieldSelector</c>: <c>field=value</c>, <c>field==value</c>, <c>field!=value</c>, comma-separated.
/// Only the fields the resource supports may be used (custom resources: metadata.name and metadata.namespace).
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string Field, bool Equal, string Value)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The single <c>metadata.name=</c> value when the selector pins one object (watch of one object).</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    /// <summary>Parses a selector; throws <see cref="FormatException"/> with the apiserver's message.</summary>
    public static FieldSelector Parse(string? text, IReadOnlyCollection<string> supportedFields)
    {
        ArgumentNullException.ThrowIfNull(supportedFields);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var part in text.Split(','))
        {
            var (field, equal, value) = SplitTerm(part);
            if (!supportedFields.Contains(field))
            {
                throw new FormatException($"field label not supported: {field}");
            }

            terms.Add((field, equal, value));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) =>
        _terms.All(t =>
        {
            var actual = KubeObject.At(obj, t.Field) is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
            return (actual == t.Value) == t.Equal;
        });

    private static (string Field, bool Equal, string Value) SplitTerm(string term)
    {
        foreach (var (op, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (term[..at].Trim(), equal, term[(at + op.Length)..].Trim());
            }
        }

        throw new FormatException($"invalid selector: '{term}'; can't understand '{term}'");
    }
}
