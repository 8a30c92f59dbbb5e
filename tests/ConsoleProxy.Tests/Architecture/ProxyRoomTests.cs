using TestKit.Repository;
using ConsoleProxy.Hosting;

namespace ConsoleProxy.Tests.Architecture;

/// <summary>
/// The proxy's folders (its rooms) depend on each other without a cycle, and exactly along the arrows
/// docs/architecture.md draws: read from the compiled consoleproxy assembly, so a new use of a folder above shows
/// here with the type that made it.
/// </summary>
public sealed class ProxyRoomTests
{
    private const string Marker = "proxy-room-arrows";

    private static readonly DependencyGraph Namespaces =
        AssemblyTypeUses.NamespaceGraph(typeof(ProxyApplication).Assembly.Location, "ConsoleProxy");

    // ConsoleProxy.WebSockets.Protocol is in the room WebSockets.
    private static readonly DependencyGraph Rooms = Namespaces.Collapse(ns => ns.Split('.')[1]);

    [Fact]
    public void Rooms_depend_on_each_other_without_a_cycle()
    {
        var cycle = Rooms.FindCycle();
        Assert.True(cycle is null, $"the proxy's folders form a cycle:\n{(cycle is null ? "" : Rooms.Describe(cycle))}");
    }

    [Fact]
    public void Namespaces_inside_a_room_depend_on_each_other_without_a_cycle()
    {
        var cycle = Namespaces.FindCycle();
        Assert.True(cycle is null, $"the proxy's namespaces form a cycle:\n{(cycle is null ? "" : Namespaces.Describe(cycle))}");
    }

    [Fact]
    public void Rooms_depend_on_each_other_exactly_as_docs_architecture_md_draws()
    {
        var document = Checkout.File("docs", "architecture.md");
        var documented = DocumentedArrows.Read(document, Marker);

        var undocumented = Rooms.Arrows.Except(documented.Arrows)
            .Select(arrow => $"{arrow.From} -> {arrow.To} (because {string.Join("; ", Rooms.ReasonsFor(arrow.From, arrow.To).Take(3))})")
            .ToList();
        var stale = documented.Arrows.Except(Rooms.Arrows).Select(arrow => $"{arrow.From} -> {arrow.To}").ToList();
        var missingRooms = Rooms.Nodes.Except(documented.Nodes).ToList();
        var goneRooms = documented.Nodes.Except(Rooms.Nodes).ToList();

        Assert.True(
            undocumented.Count + stale.Count + missingRooms.Count + goneRooms.Count == 0,
            $"""
            {document} (the block after '{Marker}') and the compiled proxy disagree.
            Used but not drawn (move the type to a lower folder, or draw the arrow if it belongs): {string.Join(", ", undocumented)}
            Drawn but no longer used (remove from the document): {string.Join(", ", stale)}
            Folders not in the document: {string.Join(", ", missingRooms)}
            Folders in the document that the proxy no longer has: {string.Join(", ", goneRooms)}
            """);
        Assert.Null(documented.FindCycle());
    }

    [Fact]
    public void A_cycle_is_found_and_written_out_with_the_uses_behind_it()
    {
        var graph = new DependencyGraph();
        graph.AddArrow("Hosting", "Relay", "Hosting.ProxyApplication uses Relay.ConsoleRelay");
        graph.AddArrow("Relay", "Sessions", "Relay.ConsoleRelay uses Sessions.ConsoleSession");
        graph.AddArrow("Sessions", "Hosting", "Sessions.SessionAdmission uses Hosting.ProxyOptions");
        graph.AddArrow("Cli", "Hosting", "Cli.ServeCommand uses Hosting.ProxyApplication");

        var cycle = graph.FindCycle();

        Assert.NotNull(cycle);
        Assert.Equal(["Hosting", "Relay", "Sessions", "Hosting"], cycle);
        Assert.Contains("Sessions -> Hosting: Sessions.SessionAdmission uses Hosting.ProxyOptions", graph.Describe(cycle), StringComparison.Ordinal);

        var diamond = new DependencyGraph();
        diamond.AddArrow("Cli", "Hosting", "a");
        diamond.AddArrow("Cli", "Relay", "b");
        diamond.AddArrow("Hosting", "Relay", "c");
        Assert.Null(diamond.FindCycle());
    }

    [Fact]
    public void The_assembly_reader_sees_a_type_named_only_as_a_generic_argument_inside_a_method_body()
    {
        // ProxyApplication names the endpoint only in UseMiddleware<ConsoleWebSocketMiddleware>() (no field or signature).
        Assert.Contains(("Hosting", "Consoles"), Rooms.Arrows);
        Assert.Contains("ConsoleProxy.Hosting.ProxyApplication uses ConsoleProxy.Consoles.ConsoleWebSocketMiddleware", Rooms.ReasonsFor("Hosting", "Consoles"));
    }
}
