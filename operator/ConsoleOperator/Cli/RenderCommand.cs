using System.CommandLine;
using System.Text;
using ConsoleOperator.Builders;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Render;
using ConsoleOperator.Yaml;

namespace ConsoleOperator.Cli;

/// <summary>
/// `console-operator render -f proxy.yaml [-f more.yaml]`: prints, as YAML, the objects the operator would apply
/// for each ConsoleProxy in the files, without a cluster, for GitOps review.
/// </summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "A YAML file with one or more ConsoleProxy documents (`-` reads standard input); repeatable. Other kinds are skipped with a note on stderr.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var ns = new Option<string>("--namespace", "-n")
        {
            Description = "Namespace for documents that do not name one (kubectl would use the context's).",
            DefaultValueFactory = _ => "default",
        };
        var proxyImage = new Option<string>("--proxy-image")
        {
            Description = "The operator's default proxy image, for ConsoleProxies without spec.image.",
            DefaultValueFactory = _ => OperatorDefaults.ForThisRelease.ProxyImage,
        };
        var redisImage = new Option<string>("--redis-image")
        {
            Description = "The operator's default Redis image, for managed token stores without an image.",
            DefaultValueFactory = _ => OperatorDefaults.ForThisRelease.RedisImage,
        };
        var command = new Command("render", Description) { files, ns, proxyImage, redisImage };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The invocation's writers (the console unless a caller such as a test passes its own).
            var output = parse.InvocationConfiguration.Output;
            var errors = parse.InvocationConfiguration.Error;
            var renderer = new ProxyRenderer(new OperatorDefaults(parse.GetValue(proxyImage)!, parse.GetValue(redisImage)!), parse.GetValue(ns)!);
            var reports = new List<RenderReport>();
            foreach (var file in parse.GetValue(files)!)
            {
                string yaml;
                try
                {
                    yaml = file == "-"
                        ? await Console.In.ReadToEndAsync(cancellationToken)
                        : await File.ReadAllTextAsync(file, cancellationToken);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    await errors.WriteLineAsync($"render: cannot read {file}: {exception.Message}".AsMemory(), cancellationToken);
                    return 1;
                }

                reports.Add(renderer.Render(file == "-" ? "<stdin>" : file, yaml));
            }

            return await WriteAsync(reports, output, errors, cancellationToken);
        });
        return command;
    }

    /// <summary>Prints every rendered object, or, when any ConsoleProxy is refused, only the problems (exit code 1).</summary>
    public static async Task<int> WriteAsync(IReadOnlyList<RenderReport> reports, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        foreach (var note in reports.SelectMany(report => report.Skipped))
        {
            await errors.WriteLineAsync($"render: skipped {note}".AsMemory(), cancellationToken);
        }

        var refused = reports.SelectMany(report => report.Proxies).Where(proxy => !proxy.Succeeded).ToList();
        foreach (var proxy in refused)
        {
            foreach (var problem in proxy.Problems)
            {
                await errors.WriteLineAsync($"render: {proxy.Source}: {problem}".AsMemory(), cancellationToken);
            }
        }

        if (refused.Count > 0)
        {
            return 1;
        }

        var text = new StringBuilder();
        foreach (var proxy in reports.SelectMany(report => report.Proxies))
        {
            text.Append("# ").Append(proxy.Source).Append(": what console-operator applies for this ConsoleProxy.\n");
            text.Append("# For review, not for kubectl apply: the operator applies these itself (server-side apply, owned by the ConsoleProxy).\n");
            text.Append(YamlDocumentWriter.Write(proxy.Objects));
        }

        await output.WriteAsync(text.ToString().AsMemory(), cancellationToken);
        return 0;
    }

    private const string Description =
        "Print the objects the operator would apply for ConsoleProxy manifests (YAML), without a cluster, for GitOps review. " +
        "CRD defaults are filled in and the ConsoleProxy is validated as the controller would. Two things only a cluster knows are marked: " +
        "an ownerReference uid the manifest does not give is printed as '" + ProxyRenderer.PlaceholderUid + "', and the managed Redis password " +
        "Secret is printed WITHOUT data (annotation " + RedisPasswordSecretBuilder.WithheldAnnotation + "): the operator generates that password " +
        "once in the cluster and keeps it, so no secret ever appears in rendered output or in Git.";
}
