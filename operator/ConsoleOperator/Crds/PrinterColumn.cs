namespace ConsoleOperator.Crds;

/// <summary>A column `kubectl get` shows for the kind (`additionalPrinterColumns`).</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string? Description = null, int Priority = 0);
