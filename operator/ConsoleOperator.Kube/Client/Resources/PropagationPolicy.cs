namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>The values of DeleteOptions.propagationPolicy the server accepts.</summary>
public static class PropagationPolicy
{
    public const string Foreground = "Foreground";

    public const string Background = "Background";

    public const string Orphan = "Orphan";
}
