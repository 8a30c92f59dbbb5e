using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Events;

/// <summary>An event recorded and waiting to be written.</summary>
internal sealed record PendingEvent(
    V1ObjectReference Regarding,
    V1ObjectReference? Related,
    string Type,
    string Reason,
    string Action,
    string Note,
    DateTimeOffset At)
{
    /// <summary>Events with the same key are repeats of one another (client-go's isomorphic events).</summary>
    public string SeriesKey =>
        string.Join('\u001f', Regarding.ApiVersion, Regarding.Kind, Regarding.NamespaceProperty, Regarding.Name, Regarding.Uid, Related?.Kind, Related?.Name, Type, Reason, Action, Note);

    /// <summary>Whose bucket the event draws from.</summary>
    public string ObjectKey =>
        string.IsNullOrEmpty(Regarding.Uid) ? string.Join('\u001f', Regarding.Kind, Regarding.NamespaceProperty, Regarding.Name) : Regarding.Uid;
}
