namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// A background loop that runs on every replica, leading or not, for the operator's lifetime (the event recorder,
/// a health monitor). Added with <see cref="IOperatorBuilder.AddService{TService}"/>.
/// </summary>
public interface IOperatorService
{
    /// <summary>In logs and in the error when the loop fails.</summary>
    string Name { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
