namespace ConsoleOperator.Kube.Client.Transport;

/// <summary>The request media types the API server distinguishes; a PATCH with plain application/json is a 415.</summary>
public static class MediaTypes
{
    public const string Json = "application/json";

    public const string JsonPatch = "application/json-patch+json";

    public const string MergePatch = "application/merge-patch+json";

    /// <summary>Server-side apply. The body may be JSON: JSON is YAML.</summary>
    public const string ApplyPatch = "application/apply-patch+yaml";
}
