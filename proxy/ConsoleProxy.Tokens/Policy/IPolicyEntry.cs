using System.Diagnostics.CodeAnalysis;

namespace ConsoleProxy.Tokens.Policy;

/// <summary>
/// An entry of a repeatable policy setting (an allowed target, an allowed origin): how one entry's text parses, so a
/// <see cref="PolicyList{T}"/> of it is parsed by the same code wherever the list is read.
/// </summary>
public interface IPolicyEntry<TSelf>
    where TSelf : IPolicyEntry<TSelf>
{
    /// <summary>Parses one entry; the error names the entry and says what a valid one looks like.</summary>
    static abstract bool TryParse(string? text, [NotNullWhen(true)] out TSelf? entry, [NotNullWhen(false)] out string? error);
}
