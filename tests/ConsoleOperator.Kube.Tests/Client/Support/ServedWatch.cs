using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Watch;
using TestKit.Replay;
using k8s;
using k8s.Models;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.Support;

/// <summary>Watch lines served over HTTP by the replay server and read by the client's watch (the library's reader plus ours).</summary>
public static class ServedWatch
{
    public static async Task<List<WatchEvent<T>>> ReadAsync<T>(IReadOnlyList<string> lines, JsonTypeInfo<T> typeInfo, ResourceDescriptor descriptor, Action<WatchEvent<T>>? onEvent = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Watch(lines, WatchEnding.Clean));
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        var events = new List<WatchEvent<T>>();
        await foreach (var e in client.Resource(descriptor, typeInfo, descriptor.Namespaced ? "demo" : null)
            .WatchAsync(new WatchOptions { IdleTimeout = TimeSpan.FromSeconds(30) }))
        {
            onEvent?.Invoke(e);
            events.Add(e);
        }

        return events;
    }

    /// <summary>A stream's text as the replay server's lines: each is served with a newline, a last one without is served as it was.</summary>
    public static IReadOnlyList<string> Lines(string text)
    {
        var lines = text.Split('\n').ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
