namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>Delete only if the object still has this uid / resourceVersion; a mismatch is a 409 Conflict (fixture 18).</summary>
public sealed record Preconditions
{
    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }
}
