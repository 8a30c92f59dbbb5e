using System.Text.Json;

namespace ConsoleProxy.Tests.Hosting;

/// <summary>
/// The runtime settings the proxy's start-up cost was measured with (`make bench`, new sessions per second): they live
/// in consoleproxy.runtimeconfig.json, which the build copies beside the tests' consoleproxy executable.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void Idle_thread_pool_workers_sleep_without_spinning()
    {
        Assert.Equal(0, ConfigProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }

    private static JsonElement ConfigProperty(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "consoleproxy.runtimeconfig.json");
        Assert.True(File.Exists(path), $"{path} is missing: build proxy/ConsoleProxy (this project references it)");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.True(
            document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").TryGetProperty(name, out var value),
            $"consoleproxy.runtimeconfig.json sets no {name}");
        return value.Clone();
    }
}
