using System.Globalization;
using System.Text;

namespace ConsoleProxy.Benchmarks.Report;

/// <summary>
/// The benchmark's output: medians per system (with two plain TCP relays, copying and zero-copy: what
/// any second hop costs here, and the Kestrel WebSocket floor: what this stack costs with none of the product's
/// work), consoleproxy's ratios to direct TCP, to socat, to websockify and to the floor, and the targets.
/// </summary>
public static class MarkdownTable
{
    public const string Direct = "direct TCP";
    public const string TcpRelay = "socat TCP relay";
    public const string SpliceRelay = "haproxy splice relay";
    public const string Websockify = "websockify";
    public const string KestrelFloor = "Kestrel WebSocket floor";
    public const string Proxy = "consoleproxy";

    public static string Render(IReadOnlyList<Figure> figures)
    {
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"| Figure | {Direct} | {TcpRelay} | {SpliceRelay} | {Websockify} | {KestrelFloor} | {Proxy} | {Proxy} / direct | {Proxy} / socat | {Proxy} / websockify | {Proxy} / floor | Target | Met |");
        output.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var figure in figures)
        {
            var direct = figure.Median(Direct);
            var relay = figure.Median(TcpRelay);
            var splice = figure.Median(SpliceRelay);
            var websockify = figure.Median(Websockify);
            var floor = figure.Median(KestrelFloor);
            var proxy = figure.Median(Proxy);
            var met = figure.Target is { } target ? (target.Met(figure) ? "yes" : "**no**") : string.Empty;
            output.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} ({figure.Unit}) | {Value(figure, direct)} | {Value(figure, relay)} | {Value(figure, splice)} | {Value(figure, websockify)} | {Value(figure, floor)} | {Value(figure, proxy)} | {Ratio(proxy, direct)} | {Ratio(proxy, relay)} | {Ratio(proxy, websockify)} | {Ratio(proxy, floor)} | {figure.Target?.Text ?? string.Empty} | {met} |");
        }

        return output.ToString();
    }

    private static string Value(Figure figure, double? value) =>
        value is { } v ? v.ToString(figure.Format, CultureInfo.InvariantCulture) : "—";

    private static string Ratio(double? value, double? reference) =>
        value is { } v && reference is { } r && r != 0 ? (v / r).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "—";
}
