using System.CommandLine;

// `console-operator`: verbs are added by the controller issues (run, crds, render).
var root = new RootCommand("ConsoleOperator: runs fleets of browser console proxies for virtual machines on Kubernetes.");
return await root.Parse(args).InvokeAsync();
