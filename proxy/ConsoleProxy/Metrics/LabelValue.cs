using System.Text;

namespace ConsoleProxy.Metrics;

/// <summary>How enum members become label values (and the audit log's outcome field, so the two always agree).</summary>
public static class LabelValue
{
    /// <summary>`MaxDuration` becomes `max_duration`: label values in the style Prometheus users expect.</summary>
    public static string SnakeCase(string pascalCase)
    {
        var output = new StringBuilder(pascalCase.Length + 4);
        for (var i = 0; i < pascalCase.Length; i++)
        {
            var c = pascalCase[i];
            if (char.IsUpper(c) && i > 0)
            {
                output.Append('_');
            }

            output.Append(char.ToLowerInvariant(c));
        }

        return output.ToString();
    }

    /// <summary>The label values of every member of <typeparamref name="TLabel"/>, in member order.</summary>
    public static IReadOnlyList<string> Of<TLabel>()
        where TLabel : struct, Enum
    {
        var values = Enum.GetValues<TLabel>();
        for (var i = 0; i < values.Length; i++)
        {
            if (Convert.ToInt32(values[i], System.Globalization.CultureInfo.InvariantCulture) != i)
            {
                throw new InvalidOperationException($"{typeof(TLabel).Name} must number its members 0, 1, 2, ... to be a label");
            }
        }

        return [.. values.Select(value => SnakeCase(value.ToString()))];
    }
}
