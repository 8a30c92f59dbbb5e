using ConsoleOperator.Kube.Runtime.Controllers;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>A controller added to the builder, built into a runnable controller once the services exist.</summary>
internal interface IControllerRegistration
{
    IController Build(IServiceProvider services);
}
