namespace ConsoleOperator.Builders.Validation;

/// <summary>One thing wrong with a ConsoleProxy that its schema could not catch: where, and what to do about it.</summary>
/// <param name="Field">The field's path, e.g. <c>spec.tokens.allowedTargets[2]</c>.</param>
/// <param name="Message">What is wrong and how to fix it, for a person reading an event or a condition.</param>
public sealed record ValidationProblem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
