using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace ConsoleProxy.Buffers;

/// <summary>Hands Kestrel <see cref="LargeBlockMemoryPool"/>s (registered in DI, where Kestrel's transports look for their pool factory).</summary>
public sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
