namespace ConsoleOperator.Render;

/// <summary>A manifest field the schema does not have, and the known field it was most likely meant to be.</summary>
public sealed record UnknownField(string Path, string? Suggestion);
