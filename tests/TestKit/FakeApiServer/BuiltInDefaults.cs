using System.Text;
using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// The server-side defaulting of the built-in types the operator writes, as recorded from kube-apiserver v1.28
/// (tests/fixtures/k8s-recordings 00, 08, 09, 15, 20). Types not listed here are stored as sent.
/// </summary>
public static class BuiltInDefaults
{
    public static void Apply(JsonObject obj, ResourceDescriptor resource)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(resource);
        if (resource == BuiltInResources.Namespaces)
        {
            DefaultNamespace(obj);
        }
        else if (resource == BuiltInResources.Deployments)
        {
            DefaultDeployment(obj);
        }
        else if (resource == BuiltInResources.Secrets)
        {
            DefaultSecret(obj);
        }
        else if (resource == BuiltInResources.Services)
        {
            DefaultService(obj);
        }
        else if (resource == BuiltInResources.NetworkPolicies)
        {
            DefaultNetworkPolicy(obj);
        }
        else if (resource == BuiltInResources.PodDisruptionBudgets)
        {
            var status = Child(obj, "status");
            foreach (var counter in new[] { "disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods" })
            {
                SetIfMissing(status, counter, 0);
            }
        }
        else if (resource == BuiltInResources.HorizontalPodAutoscalers)
        {
            DefaultHorizontalPodAutoscaler(obj);
        }
        else if (resource == BuiltInResources.Events)
        {
            SetIfMissing(obj, "deprecatedSource", new JsonObject());
            SetIfMissing(obj, "deprecatedFirstTimestamp", null);
            SetIfMissing(obj, "deprecatedLastTimestamp", null);
        }
        else if (resource == BuiltInResources.CoreEvents)
        {
            SetIfMissing(obj, "eventTime", null);
        }
    }

    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }

        child = [];
        parent[name] = child;
        return child;
    }

    private static void SetIfMissing(JsonObject obj, string name, JsonNode? value)
    {
        if (!obj.ContainsKey(name))
        {
            obj[name] = value;
        }
    }

    private static void DefaultNamespace(JsonObject ns)
    {
        var labels = Child(KubeObject.Metadata(ns), "labels");
        labels["kubernetes.io/metadata.name"] = KubeObject.Name(ns);
        var status = Child(ns, "status");
        SetIfMissing(status, "phase", KubeObject.IsTerminating(ns) ? "Terminating" : "Active");
    }

    private static void DefaultDeployment(JsonObject deployment)
    {
        var spec = Child(deployment, "spec");
        SetIfMissing(spec, "replicas", 1);
        var strategy = Child(spec, "strategy");
        SetIfMissing(strategy, "type", "RollingUpdate");
        if ((string?)strategy["type"] == "RollingUpdate")
        {
            var rolling = Child(strategy, "rollingUpdate");
            SetIfMissing(rolling, "maxUnavailable", "25%");
            SetIfMissing(rolling, "maxSurge", "25%");
        }

        SetIfMissing(spec, "revisionHistoryLimit", 10);
        SetIfMissing(spec, "progressDeadlineSeconds", 600);
        var template = Child(spec, "template");
        SetIfMissing(Child(template, "metadata"), "creationTimestamp", null);
        DefaultPodSpec(Child(template, "spec"));
        SetIfMissing(deployment, "status", new JsonObject());
    }

    private static void DefaultPodSpec(JsonObject pod)
    {
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in (pod[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                DefaultContainer(container);
            }
        }

        SetIfMissing(pod, "restartPolicy", "Always");
        SetIfMissing(pod, "terminationGracePeriodSeconds", 30);
        SetIfMissing(pod, "dnsPolicy", "ClusterFirst");
        SetIfMissing(pod, "securityContext", new JsonObject());
        SetIfMissing(pod, "schedulerName", "default-scheduler");
        if (pod["serviceAccountName"] is { } serviceAccountName)
        {
            // The deprecated alias is kept in step with serviceAccountName.
            SetIfMissing(pod, "serviceAccount", serviceAccountName.DeepClone());
        }
        foreach (var volume in (pod["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var source in new[] { "configMap", "secret" })
            {
                if (volume[source] is JsonObject projected)
                {
                    SetIfMissing(projected, "defaultMode", 420);
                }
            }
        }
    }

    private static void DefaultContainer(JsonObject container)
    {
        foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            SetIfMissing(port, "protocol", "TCP");
        }

        foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (env["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                SetIfMissing(fieldRef, "apiVersion", "v1");
            }
        }

        SetIfMissing(container, "resources", new JsonObject());
        SetIfMissing(container, "terminationMessagePath", "/dev/termination-log");
        SetIfMissing(container, "terminationMessagePolicy", "File");
        var image = (string?)container["image"] ?? string.Empty;
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var latest = !lastSegment.Contains(':', StringComparison.Ordinal) || lastSegment.EndsWith(":latest", StringComparison.Ordinal);
        SetIfMissing(container, "imagePullPolicy", latest && !image.Contains('@', StringComparison.Ordinal) ? "Always" : "IfNotPresent");
        foreach (var probeName in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probeName] is JsonObject probe)
            {
                SetIfMissing(probe, "timeoutSeconds", 1);
                SetIfMissing(probe, "periodSeconds", 10);
                SetIfMissing(probe, "successThreshold", 1);
                SetIfMissing(probe, "failureThreshold", 3);
                if (probe["httpGet"] is JsonObject httpGet)
                {
                    SetIfMissing(httpGet, "scheme", "HTTP");
                }
            }
        }
    }

    // stringData is write-only: merged into data (stringData wins) and dropped, as the Secret strategy does.
    private static void DefaultSecret(JsonObject secret)
    {
        if (secret["stringData"] is JsonObject stringData)
        {
            var data = Child(secret, "data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? string.Empty));
            }
        }

        secret.Remove("stringData");
        SetIfMissing(secret, "type", "Opaque");
    }

    private static void DefaultService(JsonObject service)
    {
        var spec = Child(service, "spec");
        SetIfMissing(spec, "type", "ClusterIP");
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            SetIfMissing(port, "protocol", "TCP");
            SetIfMissing(port, "targetPort", port["port"]?.DeepClone());
        }

        SetIfMissing(spec, "sessionAffinity", "None");
        SetIfMissing(spec, "internalTrafficPolicy", "Cluster");
        SetIfMissing(Child(service, "status"), "loadBalancer", new JsonObject());
    }

    private static void DefaultHorizontalPodAutoscaler(JsonObject hpa)
    {
        var spec = Child(hpa, "spec");
        SetIfMissing(spec, "minReplicas", 1);
        if (spec["metrics"] is not JsonArray { Count: > 0 })
        {
            spec["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 80 } },
            });
        }

        // behavior is only completed when partly given (scaleUp/scaleDown defaults of autoscaling/v2).
        if (spec["behavior"] is JsonObject behavior)
        {
            var up = Child(behavior, "scaleUp");
            SetIfMissing(up, "stabilizationWindowSeconds", 0);
            SetIfMissing(up, "selectPolicy", "Max");
            SetIfMissing(up, "policies", new JsonArray(
                new JsonObject { ["type"] = "Pods", ["value"] = 4, ["periodSeconds"] = 15 },
                new JsonObject { ["type"] = "Percent", ["value"] = 100, ["periodSeconds"] = 15 }));
            var down = Child(behavior, "scaleDown");
            SetIfMissing(down, "stabilizationWindowSeconds", 300);
            SetIfMissing(down, "selectPolicy", "Max");
            SetIfMissing(down, "policies", new JsonArray(new JsonObject { ["type"] = "Percent", ["value"] = 100, ["periodSeconds"] = 15 }));
        }

        var status = Child(hpa, "status");
        SetIfMissing(status, "desiredReplicas", 0);
        SetIfMissing(status, "currentMetrics", null);
    }

    private static void DefaultNetworkPolicy(JsonObject policy)
    {
        var spec = Child(policy, "spec");
        foreach (var direction in new[] { "ingress", "egress" })
        {
            foreach (var rule in (spec[direction] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var port in (rule["ports"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    SetIfMissing(port, "protocol", "TCP");
                }
            }
        }

        if (!spec.ContainsKey("policyTypes"))
        {
            var types = new JsonArray("Ingress");
            if (spec.ContainsKey("egress"))
            {
                types.Add("Egress");
            }

            spec["policyTypes"] = types;
        }
    }
}
