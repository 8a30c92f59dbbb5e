namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>metav1.StatusCause, e.g. FieldValueInvalid on spec.size or FieldManagerConflict on .spec.replicas.</summary>
public sealed record StatusCause
{
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Field { get; set; }
}
