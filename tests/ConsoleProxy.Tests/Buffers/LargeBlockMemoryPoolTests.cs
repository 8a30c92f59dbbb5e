using ConsoleProxy.Buffers;

namespace ConsoleProxy.Tests.Buffers;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Every_rent_gets_a_whole_32_KiB_block_whatever_size_was_asked()
    {
        using var pool = new LargeBlockMemoryPool();

        using var small = pool.Rent(1);
        using var unspecified = pool.Rent();
        using var exact = pool.Rent(LargeBlockMemoryPool.BlockSize);

        Assert.Equal(LargeBlockMemoryPool.BlockSize, pool.MaxBufferSize);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, small.Memory.Length);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, unspecified.Memory.Length);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, exact.Memory.Length);
    }

    [Fact]
    public void A_returned_block_is_reused_and_a_double_dispose_returns_it_once()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent(100);
        first.Memory.Span[0] = 42;

        first.Dispose();
        first.Dispose();
        using var second = pool.Rent(100);

        Assert.Equal(42, second.Memory.Span[0]);
        Assert.Equal(0, pool.Retained);
        Assert.Throws<ObjectDisposedException>(() => first.Memory);
    }

    [Fact]
    public void At_most_the_retention_cap_of_blocks_is_kept_after_a_burst()
    {
        using var pool = new LargeBlockMemoryPool();
        var burst = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetained + 100).Select(_ => pool.Rent()).ToList();

        burst.ForEach(block => block.Dispose());

        Assert.Equal(LargeBlockMemoryPool.MaxRetained, pool.Retained);
    }

    [Fact]
    public void A_request_larger_than_a_block_is_served_unpooled()
    {
        using var pool = new LargeBlockMemoryPool();

        var large = pool.Rent(LargeBlockMemoryPool.BlockSize + 1);
        large.Dispose();

        Assert.True(large is not null);
        Assert.Equal(0, pool.Retained);
    }

    [Fact]
    public void A_disposed_pool_refuses_to_rent_and_keeps_nothing()
    {
        var pool = new LargeBlockMemoryPool();
        var block = pool.Rent();

        pool.Dispose();
        block.Dispose();

        Assert.Equal(0, pool.Retained);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }
}
