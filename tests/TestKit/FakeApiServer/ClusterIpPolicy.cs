using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// The Service strategy's ClusterIP rules: allocate from 10.0.0.0/24 (and the IP families) on create, copy the old
/// values over when an update omits them (apply and PUT alike), refuse to change them (422 "may not change once set").
/// </summary>
public sealed class ClusterIpPolicy
{
    private readonly ServiceIpAllocator _serviceIps = new();

    public void Allocate(JsonObject service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = (JsonObject)service["spec"]!;
        if ((string?)spec["type"] == "ExternalName")
        {
            return;
        }

        var requested = (string?)spec["clusterIP"];
        var ip = string.IsNullOrEmpty(requested) ? _serviceIps.Allocate() : requested;
        if (ip != "None")
        {
            _serviceIps.Reserve(ip);
        }

        spec["clusterIP"] = ip;
        spec["clusterIPs"] = new JsonArray(ip);
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
    }

    // The Service strategy copies clusterIP(s) from the old object when omitted and refuses to change them.
    public static void Keep(JsonObject current, JsonObject candidate, string name)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(candidate);
        var oldSpec = current["spec"] as JsonObject ?? [];
        var newSpec = candidate["spec"] as JsonObject ?? [];
        candidate["spec"] = newSpec;
        var oldIp = (string?)oldSpec["clusterIP"];
        var newIp = (string?)newSpec["clusterIP"];
        foreach (var allocated in new[] { "ipFamilies", "ipFamilyPolicy" })
        {
            newSpec[allocated] ??= oldSpec[allocated]?.DeepClone();
        }

        if (string.IsNullOrEmpty(newIp))
        {
            newSpec["clusterIP"] = oldIp;
            newSpec["clusterIPs"] = oldSpec["clusterIPs"]?.DeepClone();
            return;
        }

        if (newIp != oldIp)
        {
            var message = $"Invalid value: []string{{\"{newIp}\"}}: may not change once set";
            throw StatusErrors.Invalid(BuiltInResources.Services.GroupKind, name, string.Empty, "Service", [("FieldValueInvalid", message, "spec.clusterIPs[0]")]);
        }

        newSpec["clusterIPs"] ??= new JsonArray(newIp);
    }
}
