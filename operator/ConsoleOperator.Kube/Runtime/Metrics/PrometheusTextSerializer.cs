using System.IO.Pipelines;
using System.Text;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// Renders a registry in the text exposition format 0.0.4: per family a HELP and a TYPE line, then
/// its samples; families by name, series by label values, so two scrapes of the same state are
/// byte-identical.
/// </summary>
public static class PrometheusTextSerializer
{
    public static void Write(MetricsRegistry registry, TextWriter writer)
    {
        foreach (var family in registry.Families())
        {
            writer.Write("# HELP ");
            writer.Write(family.Name);
            writer.Write(' ');
            writer.Write(PrometheusText.EscapeHelp(family.Help));
            writer.Write('\n');
            writer.Write("# TYPE ");
            writer.Write(family.Name);
            writer.Write(' ');
            writer.Write(TypeName(family.Type));
            writer.Write('\n');
            family.WriteSamples(writer);
        }
    }

    public static string ToText(MetricsRegistry registry)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(registry, writer);
        return writer.ToString();
    }

    /// <summary>
    /// Renders to a pipe (an ASP.NET Core response body). The text is built in memory first because
    /// the samples are read synchronously and a response body must not be written synchronously.
    /// </summary>
    public static async Task WriteAsync(MetricsRegistry registry, PipeWriter output, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        using (var writer = new StringWriter(builder, System.Globalization.CultureInfo.InvariantCulture))
        {
            Write(registry, writer);
        }

        // An encoder carries a surrogate pair split across two chunks over to the next call.
        var encoder = Encoding.UTF8.GetEncoder();
        foreach (var chunk in builder.GetChunks())
        {
            encoder.Convert(chunk.Span, output, flush: false, out _, out _);
        }

        encoder.Convert(ReadOnlySpan<char>.Empty, output, flush: true, out _, out _);
        await output.FlushAsync(cancellationToken);
    }

    public static async Task WriteAsync(MetricsRegistry registry, Stream output, CancellationToken cancellationToken)
    {
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        await WriteAsync(registry, pipe, cancellationToken);
        await pipe.CompleteAsync();
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Histogram => "histogram",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown metric type."),
    };
}
