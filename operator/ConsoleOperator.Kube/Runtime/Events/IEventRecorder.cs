using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Events;

/// <summary>
/// Records Kubernetes Events about objects. Recording never blocks and never throws: an event is a courtesy to
/// humans, never a reason for a reconcile to fail.
/// </summary>
public interface IEventRecorder
{
    /// <param name="regarding">The object the event is about (read from the server or the cache).</param>
    /// <param name="type"><see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>.</param>
    /// <param name="reason">Why, in CamelCase (e.g. TokenIssued).</param>
    /// <param name="action">What was done or failed, in CamelCase (e.g. Reconcile).</param>
    /// <param name="note">For humans; cut to 1 kB.</param>
    /// <param name="related">A second object involved (e.g. the Secret written), if any.</param>
    void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string action, string note, IKubernetesObject<V1ObjectMeta>? related = null);
}
