using System.CommandLine;
using ConsoleOperator.Cli;

var root = new RootCommand("ConsoleOperator: runs fleets of browser console proxies for virtual machines on Kubernetes.")
{
    CrdsCommand.Create(),
    RenderCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
