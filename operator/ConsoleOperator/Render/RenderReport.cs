namespace ConsoleOperator.Render;

/// <summary>What `render` made of one or more YAML streams.</summary>
/// <param name="Proxies">Each ConsoleProxy document, rendered or refused.</param>
/// <param name="Skipped">Documents of other kinds, with why nothing is rendered for them.</param>
public sealed record RenderReport(IReadOnlyList<RenderedProxy> Proxies, IReadOnlyList<string> Skipped)
{
    public bool Succeeded => Proxies.All(proxy => proxy.Succeeded);
}
