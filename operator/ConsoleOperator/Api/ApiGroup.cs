namespace ConsoleOperator.Api;

/// <summary>The operator's API group and version.</summary>
public static class ApiGroup
{
    public const string Name = "consoleoperator.dev";

    public const string Version = "v1alpha1";

    public const string ApiVersion = Name + "/" + Version;
}
