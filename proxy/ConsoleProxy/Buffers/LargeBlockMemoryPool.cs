using System.Buffers;
using System.Collections.Concurrent;

namespace ConsoleProxy.Buffers;

/// <summary>
/// Kestrel's connection memory with 32 KiB blocks instead of its default 4 KiB ones. Kestrel reads
/// a socket into one pool block at a time, so the block size is the most a browser-to-VNC read can
/// carry: with 4 KiB every 64 KiB the browser sends crossed Kestrel's, the WebSocket's and our
/// layers sixteen times. Blocks are held only while data is in flight (idle connections wait for
/// data before taking one), so idle sessions do not pay for the size. Blocks live on the pinned
/// object heap (the socket layer pins them anyway) and at most <see cref="MaxRetained"/> are kept
/// for reuse, so a burst does not stay resident forever.
/// </summary>
public sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 32 * 1024;

    public const int MaxRetained = 512;

    private readonly ConcurrentQueue<byte[]> _free = new();
    private int _freeCount;
    private int _disposed;

    public override int MaxBufferSize => BlockSize;

    /// <summary>Blocks kept for reuse right now.</summary>
    public int Retained => Volatile.Read(ref _freeCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (minBufferSize > BlockSize)
        {
            // Never asked by Kestrel (it stays within MaxBufferSize); honoured without pooling all the same.
            return new Block(this, GC.AllocateUninitializedArray<byte>(minBufferSize, pinned: true), pooled: false);
        }

        if (_free.TryDequeue(out var array))
        {
            Interlocked.Decrement(ref _freeCount);
            return new Block(this, array, pooled: true);
        }

        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), pooled: true);
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _free.Clear();
            Volatile.Write(ref _freeCount, 0);
        }
    }

    private void Return(byte[] array)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        // Count first, so concurrent returns can never keep more than the cap.
        if (Interlocked.Increment(ref _freeCount) > MaxRetained)
        {
            Interlocked.Decrement(ref _freeCount);
            return;
        }

        _free.Enqueue(array);
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array, bool pooled) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            var array = Interlocked.Exchange(ref _array, null);
            if (array is not null && pooled)
            {
                pool.Return(array);
            }
        }
    }
}
