namespace TestKit.FakeApiServer;

/// <summary>Parses the selector query parameters, turning syntax errors into the apiserver's 400 Status.</summary>
public static class Selectors
{
    public static LabelSelector Labels(string? text)
    {
        try
        {
            return LabelSelector.Parse(text);
        }
        catch (FormatException error)
        {
            throw StatusErrors.BadRequest(error.Message);
        }
    }

    public static FieldSelector Fields(string? text, ResourceDescriptor resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        try
        {
            return FieldSelector.Parse(text, resource.FieldSelectorFields);
        }
        catch (FormatException error)
        {
            throw StatusErrors.BadRequest(error.Message);
        }
    }
}
