namespace ConsoleOperator.Builders.Metadata;

/// <summary>The recommended Kubernetes labels on everything the operator creates, and the selectors derived from them.</summary>
public static class ObjectLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string PartOf = "app.kubernetes.io/part-of";

    public const string ManagedByValue = "console-operator";
    public const string PartOfValue = "consoleoperator";

    /// <summary>
    /// The labels that pick a component's pods. A Deployment's selector is immutable, so this set never grows:
    /// adding a label here would strand every existing Deployment.
    /// </summary>
    public static Dictionary<string, string> Selector(string proxyName, Component component) => new(StringComparer.Ordinal)
    {
        [Name] = component.Application,
        [Instance] = proxyName,
        [ComponentLabel] = component.Role,
    };

    /// <summary>Every label an object (or pod template) carries: the selector plus who manages it.</summary>
    public static Dictionary<string, string> For(string proxyName, Component component)
    {
        var labels = Selector(proxyName, component);
        labels[ManagedBy] = ManagedByValue;
        labels[PartOf] = PartOfValue;
        return labels;
    }
}
