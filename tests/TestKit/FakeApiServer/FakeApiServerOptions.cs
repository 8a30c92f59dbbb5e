namespace TestKit.FakeApiServer;

/// <summary>How a <see cref="FakeKubeApiServer"/> behaves; the defaults match the recorded kube-apiserver v1.28.</summary>
public sealed class FakeApiServerOptions
{
    /// <summary>The clock for timestamps, watch deadlines and bookmarks (use <see cref="ManualTimeProvider"/> in tests).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The revision the store starts at; watches from an older RV get the in-stream 410.</summary>
    public long InitialResourceVersion { get; init; } = 100;

    /// <summary>
    /// With the watch cache (the default) a too-old watch says <c>too old resource version: X (Y)</c>; without it
    /// <c>The resourceVersion for the provided watch is too old.</c> (fixture 12).
    /// </summary>
    public bool WatchCache { get; init; } = true;

    /// <summary>How long a list with a future resourceVersion waits before its 504 (the real server: 3 s).</summary>
    public TimeSpan TooLargeResourceVersionDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Watch length when the client sends no timeoutSeconds (the real server picks 30-60 min).</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Namespaces that exist from the start (created like a POST would, Active).</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = ["default"];

    /// <summary>Also serve cleartext HTTP/2 (prior knowledge) on a second port, <see cref="FakeKubeApiServer.Http2BaseAddress"/>.</summary>
    public bool EnableHttp2 { get; init; }

    /// <summary>Extra resource types to serve besides the built-ins (CRDs created through the API register themselves).</summary>
    public IReadOnlyList<ResourceDescriptor> Resources { get; init; } = [];
}
