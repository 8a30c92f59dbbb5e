namespace ConsoleProxy.Tokens.Policy;

/// <summary>Why the entry at <paramref name="Index"/> of a policy list does not parse (the operator names it as field[index]).</summary>
public sealed record PolicyEntryProblem(int Index, string Message);
