using System.Globalization;
using System.Text;

namespace ConsoleProxy.Benchmarks.Report;

/// <summary>
/// The benchmark's output: medians per system (with two plain TCP relays, copying and zero-copy: what
/// any second hop costs here), consoleproxy's ratios to direct TCP, to socat and to websockify, and the targets.
/// </summary>
public static class MarkdownTable
{
    public const string Direct = "direct TCP";
    public const string TcpRelay = "socat TCP relay";
    public const string SpliceRelay = "haproxy splice relay";
    public const string Websockify = "websockify";
    public const string Proxy = "consoleproxy";

    public static string Render(IReadOnlyList<Figure> figures)
    {
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"| Figure | {Direct} | {TcpRelay} | {SpliceRelay} | {Websockify} | {Proxy} | {Proxy} / direct | {Proxy} / socat | {Proxy} / websockify | Target | Met |");
        output.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var figure in figures)
        {
            var direct = figure.Median(Direct);
            var relay = figure.Median(TcpRelay);
            var splice = figure.Median(SpliceRelay);
            var websockify = figure.Median(Websockify);
            var proxy = figure.Median(Proxy);
            var met = figure.Target is { } target ? (target.Met(figure) ? "yes" : "**no**") : string.Empty;
            output.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} ({figure.Unit}) | {Value(figure, direct)} | {Value(figure, relay)} | {Value(figure, splice)} | {Value(figure, websockify)} | {Value(figure, proxy)} | {Ratio(proxy, direct)} | {Ratio(proxy, relay)} | {Ratio(proxy, websockify)} | {figure.Target?.Text ?? string.Empty} | {met} |");
        }

        return output.ToString();
    }

    private static string Value(Figure figure, double? value) =>
        value is { } v ? v.ToString(figure.Format, CultureInfo.InvariantCulture) : "—";

    private static string Ratio(double? value, double? reference) =>
        value is { } v && reference is { } r && r != 0 ? (v / r).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "—";
}
