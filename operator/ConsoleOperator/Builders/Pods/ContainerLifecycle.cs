using System.Globalization;
using k8s.Models;

namespace ConsoleOperator.Builders.Pods;

/// <summary>Container lifecycle hooks.</summary>
public static class ContainerLifecycle
{
    /// <summary>
    /// A preStop hook that only waits, so the pod keeps serving while its endpoint is removed from Services and
    /// load balancers, before SIGTERM starts the drain. An exec of `sleep` (the images ship coreutils) rather
    /// than the newer `preStop.sleep` action, which clusters before 1.30 reject.
    /// </summary>
    public static V1Lifecycle SleepBeforeStop(TimeSpan delay) => new()
    {
        PreStop = new V1LifecycleHandler
        {
            Exec = new V1ExecAction { Command = ["sleep", ((long)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture)] },
        },
    };
}
