using ConsoleOperator.Kube.Runtime.Controllers;

namespace ConsoleOperator.Kube.Tests.Runtime.Controllers;

public sealed class ReconcileResultTests
{
    [Fact]
    public void Done_asks_for_nothing_more()
    {
        Assert.Null(ReconcileResult.Done.RequeueAfterDelay);
        Assert.False(ReconcileResult.Done.Requeue);
        Assert.Equal("Done", ReconcileResult.Done.ToString());
    }

    [Fact]
    public void Requeue_after_carries_its_delay_and_refuses_a_negative_one()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30)).RequeueAfterDelay);
        Assert.True(ReconcileResult.RequeueSoon.Requeue);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(-1)));
    }
}
