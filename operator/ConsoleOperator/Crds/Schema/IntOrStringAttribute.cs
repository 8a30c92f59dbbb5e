namespace ConsoleOperator.Crds.Schema;

/// <summary>The field holds an integer or a string, such as a PodDisruptionBudget's minAvailable (`x-kubernetes-int-or-string`).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IntOrStringAttribute : Attribute;
