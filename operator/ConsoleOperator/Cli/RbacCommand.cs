using System.CommandLine;
using ConsoleOperator.Rbac;

namespace ConsoleOperator.Cli;

/// <summary>`console-operator rbac [--output-dir DIR]`: prints the operator's ClusterRole and Role, or writes them (what operator/deploy holds).</summary>
public static class RbacCommand
{
    public static Command Create()
    {
        var outputDir = new Option<DirectoryInfo?>("--output-dir")
        {
            Description = "Write clusterrole.yaml and leader-election-role.yaml into this folder instead of printing them.",
        };
        var command = new Command("rbac", "Print the operator's ClusterRole and leader-election Role (YAML), generated from the [EntityRbac] attributes on its controllers.") { outputDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(outputDir) is not { } directory)
            {
                await Console.Out.WriteAsync(string.Concat(OperatorRbac.Files().Values).AsMemory(), cancellationToken);
                return 0;
            }

            directory.Create();
            foreach (var (name, content) in OperatorRbac.Files())
            {
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, name), content, cancellationToken);
            }

            return 0;
        });
        return command;
    }
}
