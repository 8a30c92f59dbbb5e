using System.CommandLine;
using ConsoleOperator.Cli;

var root = new RootCommand("ConsoleOperator: runs fleets of browser console proxies for virtual machines on Kubernetes.")
{
    CrdsCommand.Create(),
    RbacCommand.Create(),
    RenderCommand.Create(),
    RunCommand.Create(),
};

// On SIGTERM `run` needs longer than System.CommandLine's default 2 s to stop its controllers and release its lease.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = RunCommand.TerminationTimeout });
