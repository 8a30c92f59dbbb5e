using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace ConsoleProxy.Tokens.Policy;

/// <summary>
/// A repeatable policy setting's value (allowed targets, allowed origins), parsed once: the entries as written,
/// which is what the list enumerates and what the contract's variable carries (so a ConfigMap written from a spec
/// keeps the spec's words and its hash), and <see cref="Entries"/>, the same entries parsed. A list that exists is
/// a list that parsed: the operator's validator, the operator's writer and the proxy's reader all get theirs from
/// <see cref="PolicyList"/>.
/// </summary>
[CollectionBuilder(typeof(PolicyList), nameof(PolicyList.Create))]
public sealed class PolicyList<T> : IReadOnlyList<string>, IEquatable<PolicyList<T>>
    where T : IPolicyEntry<T>
{
    private readonly ImmutableArray<string> _texts;

    internal PolicyList(ImmutableArray<string> texts, ImmutableArray<T> entries)
    {
        _texts = texts;
        Entries = entries;
    }

    /// <summary>The entries parsed, in the order written.</summary>
    public IReadOnlyList<T> Entries { get; }

    public int Count => _texts.Length;

    public string this[int index] => _texts[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_texts).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(PolicyList<T>? other) => other is not null && _texts.SequenceEqual(other._texts, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as PolicyList<T>);

    public override int GetHashCode() => _texts.Aggregate(0, (hash, text) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(text)));

    /// <summary>The entries as written, comma-separated (the contract's variable).</summary>
    public override string ToString() => string.Join(',', _texts);
}
