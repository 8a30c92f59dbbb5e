using System.CommandLine;
using ConsoleOperator.Crds;

namespace ConsoleOperator.Cli;

/// <summary>`console-operator crds [--output-dir DIR]`: prints the CRD YAML, or writes one file per CRD (what crds/ holds).</summary>
public static class CrdsCommand
{
    public static Command Create()
    {
        var outputDir = new Option<DirectoryInfo?>("--output-dir")
        {
            Description = "Write one file per CRD into this folder instead of printing them.",
        };
        var command = new Command("crds", "Print the CustomResourceDefinitions (YAML), generated from the API types.") { outputDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(outputDir) is not { } directory)
            {
                await Console.Out.WriteAsync(CrdCatalog.Yaml().AsMemory(), cancellationToken);
                return 0;
            }

            directory.Create();
            foreach (var (name, content) in CrdCatalog.Files())
            {
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, name), content, cancellationToken);
            }

            return 0;
        });
        return command;
    }
}
