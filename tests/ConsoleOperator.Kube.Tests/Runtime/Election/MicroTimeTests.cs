using ConsoleOperator.Kube.Runtime.Election;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

public sealed class MicroTimeTests
{
    [Fact]
    public void Times_are_truncated_to_microseconds_in_UTC()
    {
        var value = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        var truncated = MicroTime.Truncate(value);

        Assert.Equal(new DateTimeOffset(2026, 3, 4, 3, 6, 7, TimeSpan.Zero).AddTicks(1_234_560), truncated);
        Assert.Equal(TimeSpan.Zero, truncated.Offset);
        Assert.Equal(truncated, MicroTime.Truncate(truncated));
    }
}
