using ConsoleOperator.Kube.Runtime.Informers;

namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>What a controller manager needs of any controller.</summary>
public interface IController
{
    string Name { get; }

    /// <summary>The informers this controller reads; its workers start only once all of them synced.</summary>
    IReadOnlyList<IInformer> Informers { get; }

    /// <summary>Runs workers until cancelled; may be called again after it returned (e.g. on regaining leadership).</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
