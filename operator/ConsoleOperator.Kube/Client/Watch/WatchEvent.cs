using k8s;

namespace ConsoleOperator.Kube.Client.Watch;

/// <summary>One watch event. <see cref="ResourceVersion"/> is where to resume a watch after this event.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object, string? ResourceVersion);
