using System.Globalization;
using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// The REST semantics of kube-apiserver for any registered resource, at the JSON level: create, get, list,
/// update, the four patch types, delete with preconditions/propagation/finalizers, the status subresource,
/// resourceVersion/generation/uid bookkeeping and managedFields. Throws <see cref="ApiStatusException"/> for
/// every failure, with the recorded Status body.
/// </summary>
public sealed class ResourceOperations
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ClusterIpPolicy _clusterIps = new();
    private readonly ResourceLister _lister;

    public ResourceOperations(ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        _store = store;
        _registry = registry;
        _time = time;
        _lister = new ResourceLister(store, time);
    }

    public string Now() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static ObjectKey KeyOf(ResourceDescriptor resource, string? ns, string name) =>
        new(resource.StorageKey, resource.Namespaced ? ns ?? string.Empty : string.Empty, name);

    /// <summary>A LIST (see <see cref="ResourceLister"/>).</summary>
    public Task<JsonObject> ListAsync(ResourceDescriptor resource, string? ns, ApiQuery query, TimeSpan tooLargeDelay, CancellationToken cancellationToken) =>
        _lister.ListAsync(resource, ns, query, tooLargeDelay, cancellationToken);

    public JsonObject Get(ResourceDescriptor resource, string? ns, string name, string? subresource)
    {
        CheckSubresource(resource, subresource, allowFinalize: false);
        var current = _store.Get(KeyOf(resource, ns, name)) ?? throw StatusErrors.NotFound(resource, name);
        return Present(current, resource);
    }

    public ApiResult Create(ResourceDescriptor resource, string? ns, string? nameFromPath, JsonNode? bodyNode, ApiQuery query, string manager, IReadOnlyList<string>? duplicateFields = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        try
        {
            var duplicateWarnings = CheckDuplicateFields(resource, query, duplicateFields);
            try
            {
                var result = CreateCore(resource, ns, nameFromPath, bodyNode, query, manager);
                return result with { Warnings = [.. duplicateWarnings, .. result.Warnings] };
            }
            catch (ApiStatusException error)
            {
                throw error.WithWarnings(duplicateWarnings);
            }
        }
        catch (ObjectDecodeException error)
        {
            throw error.AsBadRequest(resource);
        }
    }

    // Go's decoder keeps the last of repeated keys; the apiserver warns, or refuses under fieldValidation=Strict.
    private static List<string> CheckDuplicateFields(ResourceDescriptor resource, ApiQuery query, IReadOnlyList<string>? duplicateFields)
    {
        var messages = (duplicateFields ?? []).Select(f => $"duplicate field \"{f}\"").ToList();
        if (messages.Count > 0 && query["fieldValidation"] == "Strict")
        {
            throw StatusErrors.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: strict decoding error: {string.Join(", ", messages)}");
        }

        return query["fieldValidation"] == "Ignore" ? [] : messages.Select(m => $"299 - \"{m.Replace("\"", "\\\"", StringComparison.Ordinal)}\"").ToList();
    }

    private ApiResult CreateCore(ResourceDescriptor resource, string? ns, string? nameFromPath, JsonNode? bodyNode, ApiQuery query, string manager)
    {
        ArgumentNullException.ThrowIfNull(query);
        var body = RequireObject(bodyNode, resource);
        CheckKind(body, resource);
        var metadata = KubeObject.Metadata(body);
        if (resource.Namespaced)
        {
            var bodyNamespace = (string?)metadata["namespace"];
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        var name = (string?)metadata["name"];
        if (string.IsNullOrEmpty(name) && nameFromPath is not null && resource.IsCustomResource)
        {
            name = nameFromPath;
        }

        if (string.IsNullOrEmpty(name))
        {
            var prefix = (string?)metadata["generateName"];
            if (string.IsNullOrEmpty(prefix))
            {
                throw ObjectValidation.Invalid(resource, null, "FieldValueRequired", "Required value: name or generateName is required", "metadata.name");
            }

            name = prefix + new string(Enumerable.Range(0, 5).Select(_ => GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)]).ToArray());
            ObjectValidation.ValidateGenerateName(resource, prefix, name);
        }

        ObjectValidation.ValidateName(resource, name);
        metadata["name"] = name;
        if (resource.Namespaced)
        {
            CheckNamespaceAcceptsCreate(resource, ns!, name);
        }

        var warnings = new List<string>();
        var candidate = PrepareForCreate(body, resource, query, warnings);
        var key = KeyOf(resource, ns, name);
        if (_store.Get(key) is not null)
        {
            throw StatusErrors.AlreadyExists(resource, name);
        }

        ManagedFields.RecordUpdate(null, candidate, resource, manager, statusSubresource: false, Now());
        ApplyCreateStrategy(candidate, resource);
        if (query.IsDryRun)
        {
            KubeObject.Metadata(candidate).Remove("resourceVersion");
            return new ApiResult(201, Present(candidate, resource), warnings);
        }

        var stored = _store.Write(key, candidate, null, () => StatusErrors.AlreadyExists(resource, name));
        if (resource == BuiltInResources.CustomResourceDefinitions)
        {
            _registry.RegisterCustomResourceDefinition(stored);
            EstablishCustomResourceDefinition(key, stored);
        }

        return new ApiResult(201, Present(stored, resource), warnings);
    }

    public ApiResult Update(ResourceDescriptor resource, string? ns, string name, string? subresource, JsonNode? bodyNode, ApiQuery query, string manager, IReadOnlyList<string>? duplicateFields = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        try
        {
            var duplicateWarnings = CheckDuplicateFields(resource, query, duplicateFields);
            try
            {
                var result = UpdateCore(resource, ns, name, subresource, bodyNode, query, manager);
                return result with { Warnings = [.. duplicateWarnings, .. result.Warnings] };
            }
            catch (ApiStatusException error)
            {
                throw error.WithWarnings(duplicateWarnings);
            }
        }
        catch (ObjectDecodeException error)
        {
            throw error.AsBadRequest(resource);
        }
    }

    private ApiResult UpdateCore(ResourceDescriptor resource, string? ns, string name, string? subresource, JsonNode? bodyNode, ApiQuery query, string manager)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckSubresource(resource, subresource, allowFinalize: true);
        var body = RequireObject(bodyNode, resource);
        CheckKind(body, resource);
        var bodyName = KubeObject.MetadataString(body, "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var key = KeyOf(resource, ns, name);
        var current = _store.Get(key) ?? throw StatusErrors.NotFound(resource, name);
        var bodyRv = KubeObject.MetadataString(body, "resourceVersion");
        if (string.IsNullOrEmpty(bodyRv))
        {
            if (resource.IsCustomResource)
            {
                throw StatusErrors.Invalid(
                    resource.GroupResource,
                    name,
                    resource.Group,
                    resource.Plural,
                    [("FieldValueInvalid", "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion")]);
            }
        }
        else if (bodyRv != KubeObject.MetadataString(current, "resourceVersion"))
        {
            throw StatusErrors.Conflict(resource, name);
        }

        if (subresource == "finalize")
        {
            return FinalizeNamespace(resource, key, current, body);
        }

        return Commit(resource, key, current, body, manager, subresource == "status", query, apply: false);
    }

    public ApiResult Patch(ResourceDescriptor resource, string? ns, string name, string? subresource, string? contentType, byte[] patchBytes, ApiQuery query, string manager, bool managerFromQuery)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckSubresource(resource, subresource, allowFinalize: false);
        var mediaType = BodyDecoder.MediaType(contentType);
        var key = KeyOf(resource, ns, name);
        var status = subresource == "status";
        switch (mediaType)
        {
            case "application/apply-patch+yaml":
                try
                {
                    return ApplyPatch(resource, ns, name, key, patchBytes, query, managerFromQuery ? manager : null, status);
                }
                catch (ObjectDecodeException error)
                {
                    throw error.AsBadRequest(resource);
                }

            case "application/json-patch+json" or "application/merge-patch+json":
                break;
            case "application/strategic-merge-patch+json" when !resource.IsCustomResource:
                break;
            default:
                throw resource.IsCustomResource ? StatusErrors.UnsupportedPatchType() : StatusErrors.UnsupportedPatchTypeBuiltIn();
        }

        var current = _store.Get(key) ?? throw StatusErrors.NotFound(resource, name);
        JsonNode? patch;
        try
        {
            patch = BodyDecoder.Decode(patchBytes, "application/json");
        }
        catch (FormatException error)
        {
            throw StatusErrors.BadRequest(error.Message);
        }

        JsonNode? patched;
        try
        {
            patched = mediaType switch
            {
                "application/json-patch+json" => JsonPatch.Apply(current, patch as JsonArray ?? throw StatusErrors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")),
                "application/merge-patch+json" => MergePatch.Apply(current, patch),
                _ => MergePatch.ApplyStrategic(current, patch),
            };
        }
        catch (JsonPatchTestFailedException)
        {
            throw StatusErrors.JsonPatchTestFailed();
        }
        catch (FormatException error)
        {
            throw StatusErrors.Failure(422, "Invalid", error.Message, new JsonObject());
        }

        var candidate = patched as JsonObject ?? throw StatusErrors.BadRequest("the patch did not produce an object");
        if (KubeObject.MetadataString(candidate, "resourceVersion") != KubeObject.MetadataString(current, "resourceVersion"))
        {
            throw StatusErrors.Conflict(resource, name);
        }

        try
        {
            return Commit(resource, key, current, candidate.DeepClone().AsObject(), manager, status, query, apply: false);
        }
        catch (ObjectDecodeException error)
        {
            // The patched object is shown the way Go re-encodes the patched map: keys sorted.
            throw error.AsInvalidPatch(KubeObject.InServerOrder(candidate, resource with { IsCustomResource = true }).ToJsonString(KubeJson.Options));
        }
    }

    public ApiResult Delete(ResourceDescriptor resource, string? ns, string name, JsonNode? optionsNode, ApiQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var options = optionsNode as JsonObject ?? [];
        var key = KeyOf(resource, ns, name);
        var policy = (string?)options["propagationPolicy"] ?? query["propagationPolicy"];
        if (policy is not null and not ("Foreground" or "Background" or "Orphan"))
        {
            const string supported = "supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"";
            throw StatusErrors.Failure(
                422,
                "Invalid",
                $"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{policy}\": {supported}",
                StatusErrors.Details(null, "meta.k8s.io", "DeleteOptions", [StatusErrors.Cause("FieldValueNotSupported", $"Unsupported value: \"{policy}\": {supported}", "propagationPolicy")]));
        }

        // DeleteOptions are validated before the object is looked up.
        var current = _store.Get(key) ?? throw StatusErrors.NotFound(resource, name);
        if (options["preconditions"] is JsonObject preconditions)
        {
            var uid = KubeObject.MetadataString(current, "uid")!;
            var rv = KubeObject.MetadataString(current, "resourceVersion")!;
            if ((string?)preconditions["uid"] is { Length: > 0 } expectedUid && expectedUid != uid)
            {
                throw StatusErrors.PreconditionUid(resource, name, expectedUid, uid);
            }

            if ((string?)preconditions["resourceVersion"] is { Length: > 0 } expectedRv && expectedRv != rv)
            {
                throw StatusErrors.PreconditionResourceVersion(resource, name, expectedRv, rv);
            }
        }

        if (KubeObject.IsTerminating(current))
        {
            return ApiResult.Ok(Present(current, resource));
        }

        var candidate = current.DeepClone().AsObject();
        var policyFinalizer = policy switch
        {
            "Foreground" => "foregroundDeletion",
            "Orphan" => "orphan",
            _ => null,
        };
        if (policyFinalizer is not null && !KubeObject.Finalizers(candidate).Contains(policyFinalizer))
        {
            var finalizers = KubeObject.Metadata(candidate)["finalizers"] as JsonArray ?? [];
            finalizers.Add(policyFinalizer);
            KubeObject.Metadata(candidate)["finalizers"] = finalizers;
        }

        var blockedByNamespaceFinalizers = resource == BuiltInResources.Namespaces && (candidate["spec"]?["finalizers"] as JsonArray)?.Count > 0;
        if (KubeObject.Finalizers(candidate).Count > 0 || blockedByNamespaceFinalizers)
        {
            var metadata = KubeObject.Metadata(candidate);
            metadata["deletionTimestamp"] = Now();
            if (resource != BuiltInResources.Namespaces)
            {
                metadata["deletionGracePeriodSeconds"] = 0;
            }

            if (resource.TracksGeneration)
            {
                metadata["generation"] = ((long?)metadata["generation"] ?? 0) + 1;
            }

            if (resource == BuiltInResources.Namespaces)
            {
                ((JsonObject)(candidate["status"] ??= new JsonObject()))["phase"] = "Terminating";
            }

            if (query.IsDryRun)
            {
                return ApiResult.Ok(Present(candidate, resource));
            }

            var stored = _store.Write(key, candidate, ObjectStore.ResourceVersionOf(current), () => StatusErrors.Conflict(resource, name));
            return ApiResult.Ok(Present(stored, resource));
        }

        if (!query.IsDryRun)
        {
            _store.Delete(key, current, ObjectStore.ResourceVersionOf(current), () => StatusErrors.Conflict(resource, name));
        }

        var details = StatusErrors.Details(name, resource.Group, resource.Plural);
        details["uid"] = KubeObject.MetadataString(current, "uid");
        return ApiResult.Ok(StatusErrors.Status("Success", null, null, details, null));
    }

    private ApiResult ApplyPatch(ResourceDescriptor resource, string? ns, string name, ObjectKey key, byte[] patchBytes, ApiQuery query, string? manager, bool status)
    {
        if (string.IsNullOrEmpty(manager))
        {
            throw StatusErrors.Failure(
                422,
                "Invalid",
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                StatusErrors.Details(null, "meta.k8s.io", "PatchOptions", [StatusErrors.Cause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager")]));
        }

        JsonNode? configNode;
        try
        {
            configNode = BodyDecoder.Decode(patchBytes, "application/apply-patch+yaml");
        }
        catch (FormatException error)
        {
            throw StatusErrors.BadRequest(error.Message);
        }

        var config = configNode as JsonObject ?? throw StatusErrors.BadRequest("invalid object type: /, Kind=");
        var apiVersion = (string?)config["apiVersion"] ?? string.Empty;
        var kind = (string?)config["kind"] ?? string.Empty;
        if (apiVersion.Length == 0 || kind.Length == 0)
        {
            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            var group = slash < 0 ? string.Empty : apiVersion[..slash];
            var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
            throw StatusErrors.BadRequest($"invalid object type: {group}/{version}, Kind={kind}");
        }

        CheckKind(config, resource);
        var current = _store.Get(key);
        if (current is not null && KubeObject.MetadataString(config, "resourceVersion") is { Length: > 0 } configRv
            && configRv != KubeObject.MetadataString(current, "resourceVersion"))
        {
            throw StatusErrors.Conflict(resource, name);
        }

        var force = query.IsTrue("force");
        if (current is null)
        {
            if (status)
            {
                throw StatusErrors.NotFound(resource, name);
            }

            // Create-by-apply: the applied configuration is the whole object.
            var body = new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind, ["metadata"] = new JsonObject { ["name"] = name } };
            if (resource.Namespaced)
            {
                KubeObject.Metadata(body)["namespace"] = ns;
            }

            var created = ManagedFields.Apply(body, config, resource, manager, force, statusSubresource: false, Now());
            var createMetadata = KubeObject.Metadata(created);
            createMetadata["name"] = name;
            if (resource.Namespaced)
            {
                createMetadata["namespace"] = ns;
                CheckNamespaceAcceptsCreate(resource, ns!, name);
            }

            ObjectValidation.ValidateName(resource, name);
            var warnings = new List<string>();
            var candidate = PrepareForCreate(created, resource, query, warnings, keepManagedFields: true);
            ApplyCreateStrategy(candidate, resource);
            if (query.IsDryRun)
            {
                KubeObject.Metadata(candidate).Remove("resourceVersion");
                return new ApiResult(201, Present(candidate, resource), warnings);
            }

            var stored = _store.Write(key, candidate, null, () => StatusErrors.Conflict(resource, name));
            return new ApiResult(201, Present(stored, resource), warnings);
        }

        var merged = ManagedFields.Apply(current, config, resource, manager, force, status, Now());
        return Commit(resource, key, current, merged, manager, status, query, apply: true);
    }

    /// <summary>
    /// The shared write path of update, patch and apply: keeps server-owned metadata, enforces the status
    /// subresource split, defaults, validates, tracks ownership, bumps generation on spec changes, skips no-ops,
    /// and deletes an object whose last finalizer was removed while it was terminating.
    /// </summary>
    private ApiResult Commit(ResourceDescriptor resource, ObjectKey key, JsonObject current, JsonObject candidate, string manager, bool statusSubresource, ApiQuery query, bool apply)
    {
        var name = key.Name;
        candidate["apiVersion"] = resource.ApiVersion;
        candidate["kind"] = resource.Kind;
        if (statusSubresource)
        {
            var statusOnly = current.DeepClone().AsObject();
            if (candidate["status"] is { } newStatus)
            {
                statusOnly["status"] = newStatus.DeepClone();
            }
            else
            {
                statusOnly.Remove("status");
            }

            KubeObject.Metadata(statusOnly)["managedFields"] = KubeObject.Metadata(candidate)["managedFields"]?.DeepClone();
            candidate = statusOnly;
        }
        else if (resource.HasStatusSubresource)
        {
            if (current["status"] is { } oldStatus)
            {
                candidate["status"] = oldStatus.DeepClone();
            }
            else
            {
                candidate.Remove("status");
            }
        }

        var metadata = KubeObject.Metadata(candidate);
        var currentMetadata = KubeObject.Metadata(current);
        foreach (var serverOwned in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion", "selfLink" })
        {
            if (currentMetadata[serverOwned] is { } value)
            {
                metadata[serverOwned] = value.DeepClone();
            }
            else
            {
                metadata.Remove(serverOwned);
            }
        }

        metadata.Remove("generateName");
        if (currentMetadata["generateName"] is { } generateName)
        {
            metadata["generateName"] = generateName.DeepClone();
        }

        if (!apply)
        {
            metadata["managedFields"] = currentMetadata["managedFields"]?.DeepClone();
        }

        var warnings = new List<string>();
        ObjectAdmission.Admit(candidate, resource, query, warnings, name);
        ObjectValidation.CheckNoNewFinalizersWhileTerminating(resource, current, candidate, name);
        if (!apply)
        {
            ManagedFields.RecordUpdate(current, candidate, resource, manager, statusSubresource, Now());
        }

        // Strategy-filled fields come after ownership tracking: no manager owns them.
        if (resource == BuiltInResources.Services)
        {
            ClusterIpPolicy.Keep(current, candidate, name);
        }

        if (resource.TracksGeneration && SpecChanged(resource, current, candidate))
        {
            metadata["generation"] = ((long?)currentMetadata["generation"] ?? 0) + 1;
        }

        if (JsonNode.DeepEquals(WithoutManagedFields(current), WithoutManagedFields(candidate)) && ManagedFields.SameOwnership(current, candidate))
        {
            return new ApiResult(200, Present(current, resource), warnings);
        }

        if (query.IsDryRun)
        {
            return new ApiResult(200, Present(candidate, resource), warnings);
        }

        if (KubeObject.IsTerminating(candidate) && KubeObject.Finalizers(candidate).Count == 0 && resource != BuiltInResources.Namespaces)
        {
            // The last finalizer is gone: the object is deleted in the same operation. The answer is the object as
            // sent with the resourceVersion from before the call; the DELETED event shows the last persisted state.
            _store.Delete(key, current, ObjectStore.ResourceVersionOf(current), () => StatusErrors.Conflict(resource, name));
            return new ApiResult(200, Present(candidate, resource), warnings);
        }

        var stored = _store.Write(key, candidate, ObjectStore.ResourceVersionOf(current), () => StatusErrors.Conflict(resource, name));
        return new ApiResult(200, Present(stored, resource), warnings);
    }

    // What the create strategies fill in after decoding and defaulting, so no manager owns it: a Service's
    // ClusterIP(s) and IP families, a Namespace's spec.finalizers.
    private void ApplyCreateStrategy(JsonObject candidate, ResourceDescriptor resource)
    {
        if (resource == BuiltInResources.Services)
        {
            _clusterIps.Allocate(candidate);
        }
        else if (resource == BuiltInResources.Namespaces)
        {
            var spec = (JsonObject)(candidate["spec"] ??= new JsonObject());
            spec["finalizers"] ??= new JsonArray("kubernetes");
        }
    }

    private JsonObject PrepareForCreate(JsonObject body, ResourceDescriptor resource, ApiQuery query, List<string> warnings, bool keepManagedFields = false)
    {
        var candidate = body.DeepClone().AsObject();
        candidate["apiVersion"] = resource.ApiVersion;
        candidate["kind"] = resource.Kind;
        var metadata = KubeObject.Metadata(candidate);
        foreach (var serverOwned in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink" })
        {
            metadata.Remove(serverOwned);
        }

        if (!keepManagedFields)
        {
            metadata.Remove("managedFields");
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        if (resource.TracksGeneration)
        {
            metadata["generation"] = 1;
        }

        if (resource.HasStatusSubresource)
        {
            if (resource.IsCustomResource)
            {
                candidate.Remove("status");
            }
            else
            {
                candidate["status"] = new JsonObject();
            }
        }

        ObjectAdmission.Admit(candidate, resource, query, warnings, KubeObject.Name(candidate));

        if (resource == BuiltInResources.CustomResourceDefinitions)
        {
            var storageVersion = (candidate["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(v => (bool?)v["storage"] == true)?["name"];
            candidate["status"] = new JsonObject
            {
                ["conditions"] = null,
                ["acceptedNames"] = new JsonObject { ["plural"] = string.Empty, ["kind"] = string.Empty },
                ["storedVersions"] = storageVersion is null ? new JsonArray() : new JsonArray(storageVersion.DeepClone()),
            };
        }

        return candidate;
    }

    private static bool SpecChanged(ResourceDescriptor resource, JsonObject before, JsonObject after)
    {
        static JsonObject SpecPart(JsonObject obj, ResourceDescriptor resource)
        {
            var copy = new JsonObject();
            foreach (var (key, value) in obj)
            {
                if (key is "metadata" or "apiVersion" or "kind" || (key == "status" && resource.HasStatusSubresource))
                {
                    continue;
                }

                copy[key] = value?.DeepClone();
            }

            if (resource.GenerationIncludesAnnotations)
            {
                copy["$annotations"] = obj["metadata"]?["annotations"]?.DeepClone();
            }

            return copy;
        }

        return !JsonNode.DeepEquals(SpecPart(before, resource), SpecPart(after, resource));
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        KubeObject.Metadata(copy).Remove("managedFields");
        return copy;
    }

    private ApiResult FinalizeNamespace(ResourceDescriptor resource, ObjectKey key, JsonObject current, JsonObject body)
    {
        var candidate = current.DeepClone().AsObject();
        var spec = (JsonObject)(candidate["spec"] ??= new JsonObject());
        var finalizers = body["spec"]?["finalizers"]?.DeepClone() as JsonArray ?? [];
        if (finalizers.Count > 0)
        {
            spec["finalizers"] = finalizers;
        }
        else
        {
            // Go's omitempty: an empty finalizer list is not written.
            spec.Remove("finalizers");
        }

        if (KubeObject.IsTerminating(candidate) && finalizers.Count == 0 && KubeObject.Finalizers(candidate).Count == 0)
        {
            _store.Delete(key, candidate, ObjectStore.ResourceVersionOf(current), () => StatusErrors.Conflict(resource, key.Name));
            return ApiResult.Ok(Present(candidate, resource));
        }

        var stored = _store.Write(key, candidate, ObjectStore.ResourceVersionOf(current), () => StatusErrors.Conflict(resource, key.Name));
        return ApiResult.Ok(Present(stored, resource));
    }

    // Plays the apiextensions controller: names accepted and Established right after the create.
    private void EstablishCustomResourceDefinition(ObjectKey key, JsonObject created)
    {
        var established = created.DeepClone().AsObject();
        var now = Now();
        var names = established["spec"]?["names"]?.DeepClone() as JsonObject ?? [];
        names["listKind"] ??= (string?)names["kind"] + "List";
        names["singular"] ??= ((string?)names["kind"])?.ToLowerInvariant();
        var status = (JsonObject)(established["status"] ??= new JsonObject());
        status["acceptedNames"] = names;
        status["conditions"] = new JsonArray(
            new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
            new JsonObject { ["type"] = "Established", ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" });
        ManagedFields.RecordUpdate(created, established, BuiltInResources.CustomResourceDefinitions, "kube-apiserver", statusSubresource: true, now);
        _store.Write(key, established, ObjectStore.ResourceVersionOf(created), () => StatusErrors.Conflict(BuiltInResources.CustomResourceDefinitions, key.Name));
    }

    private void CheckNamespaceAcceptsCreate(ResourceDescriptor resource, string ns, string name)
    {
        var namespaceObject = _store.Get(KeyOf(BuiltInResources.Namespaces, null, ns)) ?? throw StatusErrors.NamespaceNotFound(ns);
        if (KubeObject.IsTerminating(namespaceObject))
        {
            throw StatusErrors.NamespaceTerminating(resource, name, ns);
        }
    }

    private static void CheckSubresource(ResourceDescriptor resource, string? subresource, bool allowFinalize)
    {
        var known = subresource is null
            || (subresource == "status" && resource.HasStatusSubresource)
            || (allowFinalize && subresource == "finalize" && resource == BuiltInResources.Namespaces);
        if (!known)
        {
            throw StatusErrors.NoSuchSubresource();
        }
    }

    private static void CheckKind(JsonObject body, ResourceDescriptor resource)
    {
        var kind = (string?)body["kind"];
        var apiVersion = (string?)body["apiVersion"];
        if ((kind is { Length: > 0 } && kind != resource.Kind) || (apiVersion is { Length: > 0 } && apiVersion != resource.ApiVersion))
        {
            var version = apiVersion?[(apiVersion.LastIndexOf('/') + 1)..] ?? string.Empty;
            throw StatusErrors.BadRequest(
                $"{kind} in version \"{version}\" cannot be handled as a {resource.Kind}: no kind \"{kind}\" is registered for version \"{apiVersion}\" in scheme \"pkg/runtime/scheme.go:100\"");
        }
    }

    private static JsonObject RequireObject(JsonNode? body, ResourceDescriptor resource) =>
        body as JsonObject ?? throw StatusErrors.BadRequest($"the object provided is unrecognized (must be of type {resource.Kind}): couldn't get version/kind; json parse error: not an object");

    /// <summary>The object as the server writes it: key order of the type (sorted for custom resources).</summary>
    public static JsonObject Present(JsonObject obj, ResourceDescriptor resource) => KubeObject.InServerOrder(obj, resource);
}
