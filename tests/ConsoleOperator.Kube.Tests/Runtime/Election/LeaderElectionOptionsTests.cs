using ConsoleOperator.Kube.Runtime.Election;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

public sealed class LeaderElectionOptionsTests
{
    [Fact]
    public void Defaults_are_client_gos_15s_10s_2s_and_valid()
    {
        var options = new LeaderElectionOptions { Identity = "pod-1" };

        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryPeriod);
        options.Validate();
    }

    [Theory]
    [InlineData(10, 10, 2, "LeaseDuration")]
    [InlineData(15, 2.4, 2, "RenewDeadline")]
    [InlineData(15.5, 10, 2, "whole number")]
    [InlineData(15, 10, 0, "RetryPeriod")]
    public void Timings_that_cannot_work_together_are_refused_with_a_clear_message(double lease, double renew, double retry, string mentioned)
    {
        var options = new LeaderElectionOptions
        {
            Identity = "pod-1",
            LeaseDuration = TimeSpan.FromSeconds(lease),
            RenewDeadline = TimeSpan.FromSeconds(renew),
            RetryPeriod = TimeSpan.FromSeconds(retry),
        };

        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_identity_is_refused()
    {
        Assert.Throws<ArgumentException>(new LeaderElectionOptions { Identity = " " }.Validate);
        var leases = new InMemoryLeaseStore(new InMemoryLease(TimeProvider.System)).Leases;
        Assert.Throws<ArgumentException>(() => new LeaderElector(leases, InMemoryLeaseStore.Name, new LeaderElectionOptions { Identity = "" }, TimeProvider.System));
    }
}
