namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>
/// What every top-level Kubernetes object has. The setters exist because built-in list items arrive without
/// <c>apiVersion</c>/<c>kind</c> (see fixture 14/08) and the client fills them in from the resource descriptor.
/// </summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; set; }

    string? Kind { get; set; }

    ObjectMeta Metadata { get; set; }
}
