namespace ConsoleOperator.Kube.Runtime.Events;

/// <summary>The two event types events.k8s.io/v1 accepts (anything else is a 422, fixture 14/05).</summary>
public static class EventTypes
{
    public const string Normal = "Normal";

    public const string Warning = "Warning";
}
