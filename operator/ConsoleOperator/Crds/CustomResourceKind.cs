namespace ConsoleOperator.Crds;

/// <summary>Everything a CRD says about one kind besides its schema, which comes from <see cref="SpecType"/> and <see cref="StatusType"/>.</summary>
public sealed record CustomResourceKind(
    string Group,
    string Version,
    string Kind,
    string Plural,
    IReadOnlyList<string> ShortNames,
    Type SpecType,
    Type StatusType,
    IReadOnlyList<PrinterColumn> PrinterColumns,
    string Description)
{
    public string Singular => Kind.ToLowerInvariant();

    public string ApiVersion => $"{Group}/{Version}";

    public string CrdName => $"{Plural}.{Group}";
}
