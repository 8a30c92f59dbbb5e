using ConsoleOperator.Kube.Runtime.Hosting;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>A controller or service added to the builder: what it adds to the manager once the services exist.</summary>
internal sealed record ManagerPart(Action<IServiceProvider, ControllerManager> AddTo);
