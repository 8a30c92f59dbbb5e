namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>Query options of create, replace and patch.</summary>
public sealed record WriteOptions
{
    /// <summary>Recorded in managedFields; without it the server derives one from the User-Agent.</summary>
    public string? FieldManager { get; init; }

    /// <summary>Strict, Warn (the server default) or Ignore. Strict turns unknown fields into a 400 (fixture 05).</summary>
    public string? FieldValidation { get; init; }

    /// <summary>Validate and default, persist nothing. A dry-run response has no new resourceVersion (fixture 05/05, 22/06).</summary>
    public bool DryRun { get; init; }
}
