using ConsoleOperator.Kube.Client.Resources;

namespace ConsoleOperator.Kube.Tests.KubeClient.Support;

/// <summary>Derives the resource descriptor a recorded request addressed, from its path.</summary>
public static class FixtureDescriptors
{
    private static readonly HashSet<string> ClusterScoped = ["namespaces", "customresourcedefinitions", "selfsubjectaccessreviews"];

    /// <summary>Null for non-resource paths (/version, /apis, /openapi/...).</summary>
    public static (ResourceDescriptor Descriptor, string? Namespace, string? Name, string? Subresource)? Parse(string target, string kind)
    {
        var path = target.Split('?', 2)[0].Trim('/').Split('/');
        int rest;
        string group, version;
        if (path.Length >= 3 && path[0] == "api")
        {
            (group, version, rest) = ("", path[1], 2);
        }
        else if (path.Length >= 4 && path[0] == "apis")
        {
            (group, version, rest) = (path[1], path[2], 3);
        }
        else
        {
            return null;
        }

        string? ns = null;
        if (path.Length > rest + 2 && path[rest] == "namespaces")
        {
            ns = path[rest + 1];
            rest += 2;
        }

        var plural = path[rest];
        var name = path.Length > rest + 1 ? path[rest + 1] : null;
        var sub = path.Length > rest + 2 ? path[rest + 2] : null;
        var namespaced = ns is not null || !ClusterScoped.Contains(plural);
        return (new ResourceDescriptor(group, version, plural, kind, namespaced), ns, name, sub);
    }
}
