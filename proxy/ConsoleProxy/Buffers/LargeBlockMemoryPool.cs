using System.Buffers;
using System.Collections.Concurrent;

namespace ConsoleProxy.Buffers;

/// <summary>
/// Kestrel's connection memory with 128 KiB blocks instead of its default 4 KiB ones. Kestrel reads
/// a socket into one pool block at a time, and the relay frames the VNC server's bytes straight
/// into the output blocks, so the block size bounds the bytes per system call both ways: on this
/// kind of machine the relay's time is almost all kernel time per call (perf: copies and the
/// loopback TCP stack; our own code is a few percent), and going from 32 KiB to 128 KiB blocks
/// moved 7% more towards the browser and 20% more towards the VNC server (`make bench`, medians of 3).
/// Blocks are held only while data is in flight (idle connections wait for data before taking
/// one), so idle sessions do not pay for the size. Blocks live on the pinned object heap (the
/// socket layer pins them anyway) and at most <see cref="MaxRetained"/> (16 MiB) are kept for
/// reuse, so a burst does not stay resident forever.
/// </summary>
public sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 128 * 1024;

    public const int MaxRetained = 128;

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
