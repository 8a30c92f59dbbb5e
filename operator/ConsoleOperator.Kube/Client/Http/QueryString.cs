using System.Text;

namespace ConsoleOperator.Kube.Client.Http;

/// <summary>Builds a query string in the order parameters are added, skipping absent values.</summary>
public sealed class QueryString
{
    private readonly StringBuilder _builder = new();

    public QueryString Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _builder.Append(_builder.Length == 0 ? '?' : '&')
            .Append(Uri.EscapeDataString(name))
            .Append('=')
            .Append(EscapeValue(value));
        return this;
    }

    public QueryString Add(string name, long? value) =>
        value is null ? this : Add(name, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public QueryString Add(string name, bool value) => value ? Add(name, "true") : this;

    public override string ToString() => _builder.ToString();

    /// <summary>
    /// Escapes like Go's url.QueryEscape minus the separators kubectl leaves readable: ',' stays literal in
    /// selectors (<c>a=b,c!=d</c>), everything else reserved is percent-encoded ('=' becomes %3D).
    /// </summary>
    private static string EscapeValue(string value) =>
        Uri.EscapeDataString(value).Replace("%2C", ",", StringComparison.Ordinal);
}
